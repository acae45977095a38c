"""What the check-in, learning-log, action-item and feedback listeners do.

Each function takes plain values, runs one short transaction, and makes its Slack calls
after it. Ids from buttons are checked against the database; what people wrote is never
logged (ids only).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from bot.errors import NotFound
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.action_items import close_item, item_of_owner, move_item, open_items_of_user
from bot.services.checkins import (
    CheckInAnswer,
    CheckInTarget,
    SavedCheckIn,
    has_answered,
    save_checkin,
    target_for_member,
)
from bot.services.feedback import feedback_of_user
from bot.services.idempotency import first_time
from bot.services.learnings import add_learning, latest_participant_id, learning_log
from bot.services.pairs import pair_for_member, pairs_of_user
from bot.slack.errors import SlackError
from bot.views.checkins import build_checkin_modal, build_checkin_thanks, build_feedback_delivery
from bot.views.learning_log import (
    ACTIONS_PER_PAGE,
    FEEDBACK_PER_PAGE,
    LEARNINGS_PER_PAGE,
    build_actions_list,
    build_add_learning_modal,
    build_feedback_list,
    build_item_closed,
    build_item_moved,
    build_later_modal,
    build_learning_log,
    clamp_page,
)
from models.enums import ActionStatus, Visibility

log = get_logger("twoway.checkins")


def now_utc() -> datetime:
    return datetime.now(UTC)


# -- the check-in ----------------------------------------------------------------------------


def checkin_target(runtime: Runtime, *, session_id: int, user_id: str) -> CheckInTarget:
    with runtime.unit_of_work() as session:
        return target_for_member(session, session_id=session_id, user_id=user_id)


def open_checkin(runtime: Runtime, *, session_id: int, user_id: str, trigger_id: str) -> str | None:
    """Open the modal; a sentence for the person instead when they already answered."""
    with runtime.unit_of_work() as session:
        target = target_for_member(session, session_id=session_id, user_id=user_id)
        answered = has_answered(
            session, session_id=session_id, participant_id=target.person.participant_id
        )
    if answered:
        return "You've already answered this check-in. Thank you!"
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_checkin_modal(target))
    return None


def save(
    runtime: Runtime, *, target: CheckInTarget, answer: CheckInAnswer, view_id: str
) -> SavedCheckIn | None:
    with runtime.unit_of_work() as session:
        saved = save_checkin(session, target=target, answer=answer, view_id=view_id)
    if saved is None:
        log.info("checkin.duplicate", session_id=target.session.id, pair_id=target.pair.id)
        return None
    log.info(
        "checkin.saved",
        checkin_id=saved.checkin_id,
        session_id=target.session.id,
        pair_id=target.pair.id,
        outcome=answer.outcome.value,
        learning_id=saved.learning_id,
        action_item_id=saved.action_item_id,
        feedback_ids=list(saved.feedback_ids),
    )
    return saved


def tell_after_checkin(
    runtime: Runtime, *, target: CheckInTarget, answer: CheckInAnswer, saved: SavedCheckIn
) -> None:
    """Feedback to each partner alone, in their own DM; then a confirmation to the author."""
    delivered = True
    if answer.feedback is not None and saved.feedback_ids:
        message = build_feedback_delivery(
            author_user_id=target.person.user_id,
            program_name=target.pair.program_name,
            parts=answer.feedback,
        )
        for partner in target.partners:
            try:
                runtime.gateway.post_message(channel=partner.user_id, **message)
            except SlackError as error:
                delivered = False
                log.warning(
                    "feedback.undelivered",
                    feedback_ids=list(saved.feedback_ids),
                    pair_id=target.pair.id,
                    code=error.code,
                )
    runtime.gateway.post_message(
        channel=target.person.user_id,
        **build_checkin_thanks(
            saved,
            partner_user_ids=[p.user_id for p in target.partners],
            feedback_delivered=delivered,
        ),
    )


# -- paged lists -------------------------------------------------------------------------------

Lister = Callable[..., tuple[list[Any], int]]


def _page_of(
    runtime: Runtime, lister: Lister, *, user_id: str, page: int, per_page: int
) -> tuple[list[Any], int, int]:
    """One page of a person's list; a page past the end shows the last one instead."""
    workspace_id = runtime.workspace_id or 0
    with runtime.unit_of_work() as session:
        fetch = partial(lister, session, workspace_id=workspace_id, user_id=user_id)
        page = max(page, 0)
        entries, total = fetch(offset=page * per_page, limit=per_page)
        if not entries and page > 0:
            page = clamp_page(page, total, per_page)
            entries, total = fetch(offset=page * per_page, limit=per_page)
    return entries, total, page


# -- the learning log ------------------------------------------------------------------------


def learnings_page(runtime: Runtime, *, user_id: str, page: int) -> dict[str, Any]:
    entries, total, page = _page_of(
        runtime, learning_log, user_id=user_id, page=page, per_page=LEARNINGS_PER_PAGE
    )
    return build_learning_log(entries, total=total, page=page)


def open_add_learning(runtime: Runtime, *, user_id: str, trigger_id: str) -> str | None:
    workspace_id = runtime.workspace_id or 0
    with runtime.unit_of_work() as session:
        if latest_participant_id(session, workspace_id=workspace_id, user_id=user_id) is None:
            return "Your learning log starts when you join a program: try `/mentor join`."
        pairs = pairs_of_user(session, workspace_id=workspace_id, user_id=user_id)
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_add_learning_modal(pairs))
    return None


def add_entry(
    runtime: Runtime, *, user_id: str, text: str, pair_id: int | None, view_id: str
) -> None:
    """A learning added by hand: shared with the chosen pair, else private."""
    workspace_id = runtime.workspace_id or 0
    with runtime.unit_of_work() as session:
        if pair_id is not None:
            _, person = pair_for_member(session, pair_id=pair_id, user_id=user_id)
            participant_id: int | None = person.participant_id
        else:
            participant_id = latest_participant_id(
                session, workspace_id=workspace_id, user_id=user_id
            )
        if participant_id is None:
            raise NotFound("Your learning log starts when you join a program: try `/mentor join`.")
        if not first_time(session, key=f"view:{view_id}", kind="learning"):
            return
        learning = add_learning(
            session,
            participant_id=participant_id,
            pair_id=pair_id,
            text=text,
            visibility=Visibility.PAIR if pair_id is not None else Visibility.PRIVATE,
        )
    log.info("learning.added", learning_id=learning.id, pair_id=pair_id)


# -- action items ----------------------------------------------------------------------------


def actions_page(runtime: Runtime, *, user_id: str, page: int) -> dict[str, Any]:
    entries, total, page = _page_of(
        runtime, open_items_of_user, user_id=user_id, page=page, per_page=ACTIONS_PER_PAGE
    )
    return build_actions_list(entries, total=total, page=page)


def close(
    runtime: Runtime, *, item_id: int, user_id: str, status: ActionStatus, now: datetime
) -> dict[str, Any]:
    """Done or dropped, once; the words for the follow-up message that had the button."""
    with runtime.unit_of_work() as session:
        item, changed = close_item(
            session, item_id=item_id, user_id=user_id, status=status, now=now
        )
    if changed:
        log.info("action_item.closed", action_item_id=item_id, status=status.value)
    return build_item_closed(item, changed=changed)


def open_later(runtime: Runtime, *, item_id: int, user_id: str, trigger_id: str) -> str | None:
    with runtime.unit_of_work() as session:
        item = item_of_owner(session, item_id=item_id, user_id=user_id)
    if item.status != ActionStatus.OPEN:
        return f"That item is already marked {item.status.value}, so I left it as it was."
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_later_modal(item))
    return None


def owner_timezone(runtime: Runtime, *, item_id: int, user_id: str) -> str:
    with runtime.unit_of_work() as session:
        return item_of_owner(session, item_id=item_id, user_id=user_id).owner_timezone


def move(runtime: Runtime, *, item_id: int, user_id: str, due_on: date, view_id: str) -> None:
    """Still on it: a new date and a new follow-up; the owner hears it in their DM."""
    with runtime.unit_of_work() as session:
        item_of_owner(session, item_id=item_id, user_id=user_id)
        if not first_time(session, key=f"view:{view_id}", kind="action_later"):
            return
        item, changed = move_item(session, item_id=item_id, user_id=user_id, due_on=due_on)
    if changed:
        log.info("action_item.moved", action_item_id=item_id)
    runtime.gateway.post_message(channel=user_id, **build_item_moved(item, changed=changed))


# -- feedback ----------------------------------------------------------------------------


def feedback_page(runtime: Runtime, *, user_id: str, page: int) -> dict[str, Any]:
    """What the person received and gave; nobody else's, whoever asks."""
    entries, total, page = _page_of(
        runtime, feedback_of_user, user_id=user_id, page=page, per_page=FEEDBACK_PER_PAGE
    )
    return build_feedback_list(entries, total=total, page=page)
