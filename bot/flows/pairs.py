"""`/mentor pair`, and the takeaway a person writes when a round ends.

The goals form that a pair's intro opens is `bot.flows.goals.open_goals_modal`: one
path whichever button opens it.
"""

from __future__ import annotations

from typing import Any

from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.idempotency import first_time
from bot.services.learnings import add_learning
from bot.services.pairs import CURRENT, pair_for_member, pairs_of_user
from bot.views.pairs import build_my_pairs, build_takeaway_modal
from models.enums import PairStatus

log = get_logger("twoway.pairs")

TAKEAWAY_STATUSES = (*CURRENT, PairStatus.ENDED)
"""A takeaway is asked for when a round ends, so an ended pair still takes one."""


def my_pairs(runtime: Runtime, caller: Caller) -> dict[str, Any]:
    """The caller's current partners, since when, and the next rotation."""
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
    return build_my_pairs(pairs, user_id=caller.user_id)


def open_takeaway_modal(runtime: Runtime, caller: Caller, *, pair_id: int, trigger_id: str) -> None:
    """The takeaway form, for a member of that pair only."""
    with runtime.unit_of_work() as session:
        pair, _ = pair_for_member(
            session, pair_id=pair_id, user_id=caller.user_id, statuses=TAKEAWAY_STATUSES
        )
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_takeaway_modal(pair.id))


def save_takeaway(
    runtime: Runtime, caller: Caller, *, pair_id: int, text: str, view_id: str
) -> None:
    """Add the takeaway to the caller's own learning log, once per form."""
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(
            session, pair_id=pair_id, user_id=caller.user_id, statuses=TAKEAWAY_STATUSES
        )
        fresh = first_time(session, key=f"view:{view_id}", kind="takeaway")
        if fresh:
            add_learning(session, participant_id=person.participant_id, pair_id=pair.id, text=text)
    log.info("takeaway.saved" if fresh else "takeaway.duplicate", pair_id=pair.id, view_id=view_id)
