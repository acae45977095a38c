"""`/mentor learnings`: the learning log, a page at a time, and an entry added by hand."""

from __future__ import annotations

from typing import Any

from bot.errors import NotFound
from bot.flows.caller import Caller
from bot.flows.checkins import page_of
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.home_refresh import mark_homes
from bot.services.idempotency import first_time
from bot.services.learnings import add_learning, latest_participant_id, learning_log
from bot.services.pairs import pair_for_member, pairs_of_user
from bot.views.learning_log import (
    LEARNINGS_PER_PAGE,
    build_add_learning_modal,
    build_learning_log,
)
from models.enums import Visibility

log = get_logger("twoway.learnings")

NOT_ENROLLED = "Your learning log starts when you join a program: try `/mentor join`."


def learnings_page(runtime: Runtime, caller: Caller, *, page: int) -> dict[str, Any]:
    """The caller's entries and those their partners shared, newest first."""
    entries, total, page = page_of(
        runtime, caller, learning_log, page=page, per_page=LEARNINGS_PER_PAGE
    )
    return build_learning_log(entries, total=total, page=page)


def open_add_learning(runtime: Runtime, caller: Caller, *, trigger_id: str) -> str | None:
    """Open the modal; a sentence for the person instead when they have no log yet."""
    with runtime.unit_of_work() as session:
        participant_id = latest_participant_id(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id
        )
        if participant_id is None:
            return NOT_ENROLLED
        pairs = pairs_of_user(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_add_learning_modal(pairs))
    return None


def add_entry(
    runtime: Runtime, caller: Caller, *, text: str, pair_id: int | None, view_id: str
) -> None:
    """A learning added by hand: shared with the chosen pair (the caller's own), else private."""
    with runtime.unit_of_work() as session:
        if pair_id is not None:
            _, person = pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
            participant_id: int | None = person.participant_id
        else:
            participant_id = latest_participant_id(
                session, workspace_id=caller.workspace_id, user_id=caller.user_id
            )
        if participant_id is None:
            raise NotFound(NOT_ENROLLED)
        if not first_time(session, key=f"view:{view_id}", kind="learning"):
            return
        learning = add_learning(
            session,
            participant_id=participant_id,
            pair_id=pair_id,
            text=text,
            visibility=Visibility.PAIR if pair_id is not None else Visibility.PRIVATE,
        )
        mark_homes(
            session, workspace_id=caller.workspace_id, user_ids=[caller.user_id], now=caller.now
        )
    log.info("learning.added", learning_id=learning.id, pair_id=pair_id)
