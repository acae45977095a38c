"""Goals: the overview, the goals modal (from `/mentor goals` or the pair's intro), saving
goals with a notice to the pair, and marking a goal achieved or dropped.

Ids from buttons are checked against the pair's members. Saved goals and their notice
to the pair's DM are one transaction (the outbox); Slack is called after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.errors import TwowayError
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.messages.goals import GOALS_SET, goals_set_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.celebrations import plan_offer
from bot.services.deliveries import plan_now
from bot.services.goal_progress import ProgressDraft, own_open_goal, record_progress
from bot.services.goals import (
    GoalDraft,
    change_own_goal,
    goals_by_pair,
    goals_of_owner,
    set_goals,
)
from bot.services.home_refresh import mark_pair_homes
from bot.services.idempotency import first_time
from bot.services.pairs import pair_for_member
from bot.views.goal_progress import build_progress_modal
from bot.views.goals import build_goals_modal, build_goals_overview
from bot.views.notice import notice_modal
from models.enums import GoalStatus

log = get_logger("twoway.goals")


def goals_overview(runtime: Runtime, caller: Caller) -> dict[str, Any]:
    """`/mentor goals`: the caller's goals and their partners', per current pair."""
    with runtime.unit_of_work() as session:
        entries = goals_by_pair(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
    return build_goals_overview(entries, user_id=caller.user_id)


def open_goals_modal(runtime: Runtime, caller: Caller, *, pair_id: int, trigger_id: str) -> None:
    """The goals form of one pair, filled with the caller's open goals; members only."""
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
        mine = goals_of_owner(
            session, pair_id=pair.id, owner_id=person.participant_id, only_open=True
        )
    view = build_goals_modal(pair=pair, existing=mine, today=caller.today)
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)


def submit_goals(
    runtime: Runtime,
    caller: Caller,
    *,
    pair_id: int,
    drafts: list[GoalDraft],
    view_id: str,
    accept: Callable[[], None],
) -> None:
    """Save the caller's goals once per form and plan the notice to the pair's DM.

    `accept()` closes the modal after the commit, before the notice is sent; a notice
    Slack refuses now stays planned and the scheduler sends it later, once.
    """
    delivery_id: int | None = None
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
        fresh = first_time(session, key=f"view:{view_id}", kind="goals")
        if fresh:
            set_goals(session, pair_id=pair.id, owner_id=person.participant_id, drafts=drafts)
            mark_pair_homes(session, pair_id=pair.id, now=caller.now)
            delivery_id = plan_now(
                session,
                workspace_id=caller.workspace_id,
                kind=GOALS_SET,
                key=goals_set_key(pair.id, view_id),
                now=caller.now,
                pair_id=pair.id,
                payload={"owner_id": person.participant_id},
            )
    accept()
    log.info(
        "goals.saved" if fresh else "goals.duplicate",
        pair_id=pair.id,
        user_id=caller.user_id,
        view_id=view_id,
        delivery_id=delivery_id,
    )
    if delivery_id is not None:
        send_now(runtime, [delivery_id])


def change_goal_status(
    runtime: Runtime, caller: Caller, *, goal_id: int, status: GoalStatus
) -> dict[str, Any]:
    """Mark one of the caller's own goals; the refreshed overview to show in its place."""
    offer: int | None = None
    with runtime.unit_of_work() as session:
        changed = change_own_goal(
            session, goal_id=goal_id, user_id=caller.user_id, status=status, now=caller.now
        )
        if status == GoalStatus.ACHIEVED:  # "Celebrate this?" to the owner, once per goal
            offer = plan_offer(
                session, workspace_id=caller.workspace_id, goal_id=goal_id, now=caller.now
            )
        mark_pair_homes(session, pair_id=changed.pair_id, now=caller.now)
    log.info("goal.status", goal_id=goal_id, user_id=caller.user_id, status=status.value)
    if offer is not None:
        send_now(runtime, [offer])
    return goals_overview(runtime, caller)


def open_progress_modal(runtime: Runtime, caller: Caller, *, goal_id: int, trigger_id: str) -> None:
    """The progress form of one of the caller's own open goals (from the Home or the menu).

    A refusal opens as a modal too: a click on the Home has no thread to answer in.
    """
    try:
        with runtime.unit_of_work() as session:
            goal = own_open_goal(session, goal_id=goal_id, user_id=caller.user_id)
    except TwowayError as refusal:
        runtime.gateway.open_view(trigger_id=trigger_id, view=notice_modal(refusal.user_message))
        return
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_progress_modal(goal))


def submit_progress(
    runtime: Runtime,
    caller: Caller,
    *,
    goal_id: int,
    draft: ProgressDraft,
    view_id: str,
    accept: Callable[[], None],
) -> None:
    """Store the step once per form; both partners' Homes are republished at the next tick.

    A refusal (not the owner, goal closed meanwhile) raises before `accept()`, so the
    modal shows it and nothing is stored.
    """
    with runtime.unit_of_work() as session:
        fresh = first_time(session, key=f"view:{view_id}", kind="goal_progress")
        if fresh:
            goal = record_progress(
                session, goal_id=goal_id, user_id=caller.user_id, draft=draft, now=caller.now
            )
            mark_pair_homes(session, pair_id=goal.pair.id, now=caller.now)
    accept()
    log.info(
        "goal.progress" if fresh else "goal.progress_duplicate",
        goal_id=goal_id,
        user_id=caller.user_id,
        view_id=view_id,
    )
