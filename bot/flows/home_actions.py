"""What the Home's buttons do: each reuses the flow its `/mentor` command or nudge uses.

A Home click has no response_url, so an answer to the person (a refusal, "done")
opens a small modal with the words instead of an ephemeral message. Changes made
here mark the person's Home (and their partners') to be republished at the next tick.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import TwowayError
from bot.flows import checkins, learnings, participation, rhythm, surveys
from bot.flows.caller import Caller
from bot.flows.enrolment import open_join_modal
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.home_dashboard import session_to_check_in
from bot.services.pairs import pair_for_member, pairs_of_user
from bot.services.rhythm import current_period
from bot.views.enrolment_messages import paused_text, resumed_text
from bot.views.notice import notice_modal

log = get_logger("twoway.home")

SLOTS_POSTED = (
    ":calendar: I've posted times that suit you both in your pair conversation: "
    "pick one there and I'll send the invite."
)
NO_SESSION_YET = (
    "Feedback goes with the check-in after a session. Once you've met, press *Log a session* "
    "(or *We already met* on your nudge) and the check-in will ask for it."
)


def _answered(runtime: Runtime, trigger_id: str, act: Callable[[], str | None]) -> None:
    """Run `act`; show its sentence (or a refusal's) in a modal, as a Home has no thread."""
    try:
        told = act()
    except TwowayError as refusal:
        told = refusal.user_message
    if told:
        runtime.gateway.open_view(trigger_id=trigger_id, view=notice_modal(told))


def pick_time(runtime: Runtime, caller: Caller, *, pair_id: int, trigger_id: str) -> None:
    """The nudge's *Pick a time*, for the pair's current period (the Home has no period)."""

    def act() -> str | None:
        with runtime.unit_of_work() as session:
            pair, _ = pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
        period_key = current_period(pair, caller.now).key
        # The pair's message lists the times; its *Choose* button shows each person the
        # times in their own timezone (the clicker's own buttons need a thread to go to).
        rhythm.offer_slots(runtime, caller, pair_id=pair.id, period_key=period_key)
        return SLOTS_POSTED

    _answered(runtime, trigger_id, act)


def log_session(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    _answered(runtime, trigger_id, lambda: rhythm.open_log(runtime, caller, trigger_id=trigger_id))


def add_learning(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    _answered(
        runtime,
        trigger_id,
        lambda: learnings.open_add_learning(runtime, caller, trigger_id=trigger_id),
    )


def give_feedback(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    """The check-in of the caller's latest held session they haven't answered yet."""

    def act() -> str | None:
        with runtime.unit_of_work() as session:
            pairs = pairs_of_user(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
            session_id = session_to_check_in(session, pairs=pairs, user_id=caller.user_id)
        if session_id is None:
            return NO_SESSION_YET
        return checkins.open_checkin(runtime, caller, session_id=session_id, trigger_id=trigger_id)

    _answered(runtime, trigger_id, act)


def pause(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    """`/mentor pause` with no end date; the answer in a modal (the flow marks the Home)."""

    def act() -> str:
        change = participation.pause_participation(runtime, caller, until=None)
        return paused_text(change.changed, change.unchanged, None)

    _answered(runtime, trigger_id, act)


def resume(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    def act() -> str:
        change = participation.resume_participation(runtime, caller)
        return resumed_text(change.changed, change.unchanged)

    _answered(runtime, trigger_id, act)


def answer_survey(runtime: Runtime, caller: Caller, *, survey_id: int, trigger_id: str) -> None:
    def act() -> None:
        surveys.open_form(runtime, caller, survey_id=survey_id, trigger_id=trigger_id)

    _answered(runtime, trigger_id, act)


def join(runtime: Runtime, caller: Caller, *, trigger_id: str) -> None:
    def act() -> None:
        open_join_modal(runtime, caller, name=None, trigger_id=trigger_id)

    _answered(runtime, trigger_id, act)
