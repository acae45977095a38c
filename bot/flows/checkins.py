"""The check-in after a session: open its modal, save the answer, tell people through the
outbox. Also the paging every `/mentor` list of this feature shares.

Ids from buttons and modals are checked against the database; what people wrote is never
logged (ids only) and never copied into the outbox (rows hold ids, the text is read when
the message is rendered).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.checkin_outbox import plan_after_checkin
from bot.services.checkins import CheckInAnswer, has_answered, save_checkin, target_for_member
from bot.services.home_refresh import mark_pair_homes
from bot.views.checkins import build_checkin_details, build_checkin_modal, not_met_answer
from bot.views.learning_log import clamp_page
from models.enums import CheckInOutcome

log = get_logger("twoway.checkins")

ALREADY_ANSWERED = "You've already answered this check-in. Thank you!"


def open_checkin(
    runtime: Runtime, caller: Caller, *, session_id: int, trigger_id: str
) -> str | None:
    """Open the modal; a sentence for the person instead when they already answered."""
    with runtime.unit_of_work() as session:
        target = target_for_member(session, session_id=session_id, user_id=caller.user_id)
        answered = has_answered(
            session, session_id=session_id, participant_id=target.person.participant_id
        )
    if answered:
        return ALREADY_ANSWERED
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_checkin_modal(target))
    return None


def answer_outcome(
    runtime: Runtime,
    caller: Caller,
    *,
    session_id: int,
    outcome: CheckInOutcome,
    view_id: str,
    accepted: Callable[[], object],
) -> dict[str, Any] | None:
    """The first step's answer: people who met get the second step (returned, to replace
    the modal); a session that did not happen is saved as it is, with nothing more to ask."""
    if outcome != CheckInOutcome.MET:
        submit_checkin(
            runtime,
            caller,
            session_id=session_id,
            answer=not_met_answer(outcome),
            view_id=view_id,
            accepted=accepted,
        )
        return None
    with runtime.unit_of_work() as session:
        target = target_for_member(session, session_id=session_id, user_id=caller.user_id)
    return build_checkin_details(target)


def submit_checkin(
    runtime: Runtime,
    caller: Caller,
    *,
    session_id: int,
    answer: CheckInAnswer,
    view_id: str,
    accepted: Callable[[], object],
) -> None:
    """Save the answer and plan what it tells people (feedback to each partner alone, the
    author's thanks) in one transaction, then send.

    `accepted` (the listener's ack, which closes the modal) runs once that is committed and
    before Slack is called: a refusal (not in the pair) still shows in the modal, a slow
    Slack never keeps it open. A modal submitted twice saves and sends nothing more.
    """
    with runtime.unit_of_work() as session:
        target = target_for_member(session, session_id=session_id, user_id=caller.user_id)
        saved = save_checkin(session, target=target, answer=answer, view_id=view_id)
        if saved is not None:
            mark_pair_homes(session, pair_id=target.pair.id, now=caller.now)
        planned = (
            []
            if saved is None
            else plan_after_checkin(
                session,
                workspace_id=caller.workspace_id,
                target=target,
                saved=saved,
                now=caller.now,
            )
        )
    accepted()
    if saved is None:
        log.info("checkin.duplicate", session_id=session_id, pair_id=target.pair.id)
        return
    log.info(
        "checkin.saved",
        checkin_id=saved.checkin_id,
        session_id=session_id,
        pair_id=target.pair.id,
        outcome=answer.outcome.value,
        learning_id=saved.learning_id,
        action_item_id=saved.action_item_id,
        feedback_ids=list(saved.feedback_ids),
        delivery_ids=planned,
    )
    send_now(runtime, planned)  # what Slack refuses now stays planned: the scheduler retries


# -- paged lists -------------------------------------------------------------------------------

Lister = Callable[..., tuple[list[Any], int]]


def page_of(
    runtime: Runtime, caller: Caller, lister: Lister, *, page: int, per_page: int
) -> tuple[list[Any], int, int]:
    """One page of the caller's list; a page past the end shows the last one instead."""
    with runtime.unit_of_work() as session:
        fetch = partial(lister, session, workspace_id=caller.workspace_id, user_id=caller.user_id)
        page = max(page, 0)
        entries, total = fetch(offset=page * per_page, limit=per_page)
        if not entries and page > 0:
            page = clamp_page(page, total, per_page)
            entries, total = fetch(offset=page * per_page, limit=per_page)
    return entries, total, page
