"""What a session nudge's buttons, `/mentor next` and `/mentor log` do.

Each button acts once per pair and period, only for a member of the pair and only
while the nudge's period is current. What the bot then posts to the pair or the
coordinators is planned in the outbox with the change it reports and sent right
after the commit; a message Slack refuses now is retried by the scheduler. Answers
to the person who clicked (the returned sentences) go back through `respond`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from bot.clock import zone
from bot.errors import NotAllowed
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.rhythm import build_agenda
from bot.runtime import Runtime
from bot.services.agenda_sources import agenda_inputs
from bot.services.home_refresh import mark_pair_homes
from bot.services.idempotency import first_time
from bot.services.nudge_status import nudge_states
from bot.services.pairs import PairDetails, PairPerson, pair_for_member, pairs_of_user
from bot.services.rhythm import SLOT_HORIZON, current_period, offered_slots
from bot.services.rhythm_notices import (
    offered_starts,
    plan_help_request,
    plan_session_notices,
    plan_skip_note,
    plan_slot_offer,
)
from bot.services.sessions import next_planned, plan_session, record_held, record_skip
from bot.views.rhythm import (
    NextSession,
    build_log_modal,
    build_skip_modal,
    build_slot_buttons,
    button_value,
    slack_time,
)
from models.enums import PairStatus

log = get_logger("twoway.rhythm")

EARLIER_PERIOD = (
    "This nudge is from an earlier period, so I left everything as it was. "
    "Your latest nudge has fresh buttons."
)
LOGGED_AT = time(12)  # a session logged by date counts at noon, the person's local time


def _member_in_current_period(
    runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str
) -> tuple[PairDetails, PairPerson]:
    """The pair, if the caller is in it and the button's period is still the current one."""
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
    if current_period(pair, caller.now).key != period_key:
        raise NotAllowed(EARLIER_PERIOD)
    return pair, person


ALREADY_OFFERED = "I've already posted these times in your pair conversation."


def offer_slots(
    runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str
) -> dict[str, Any]:
    """Post times that suit both people to the pair, once per period; the clicker gets
    buttons for the same times labelled in their own timezone (only they see them)."""
    pair, _ = _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    slots = offered_slots(pair, caller.now)
    starts = [slot.start for slot in slots]
    with runtime.unit_of_work() as session:
        fresh = first_time(session, key=f"offer:{pair.id}:{period_key}", kind="rhythm")
        planned = (
            plan_slot_offer(
                session,
                pair=pair,
                period_key=period_key,
                now=caller.now,
                starts=starts,
                fits_everyone=all(slot.fits_everyone for slot in slots),
            )
            if fresh
            else None
        )
        if planned is None:
            starts = offered_starts(session, pair_id=pair.id, period_key=period_key) or starts
    if planned is not None:
        log.info("rhythm.slots_offered", pair_id=pair.id, delivery_id=planned)
        send_now(runtime, [planned])
    note = "" if planned is not None else ALREADY_OFFERED
    return choices_for(caller, pair_id=pair.id, period_key=period_key, starts=starts, note=note)


def choices_for(
    caller: Caller, *, pair_id: int, period_key: str, starts: list[datetime], note: str = ""
) -> dict[str, Any]:
    """The caller's own buttons for offered times still ahead, in the caller's timezone."""
    ahead = [t for t in starts if caller.now < t <= caller.now + SLOT_HORIZON]
    return build_slot_buttons(
        pair_id=pair_id, period_key=period_key, starts=ahead, timezone=caller.timezone, note=note
    )


def choose_among(
    runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str, starts: list[datetime]
) -> dict[str, Any]:
    """*Choose one of these times* on the pair's list: a member of the pair, in the current
    period, gets their own buttons."""
    pair, _ = _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    return choices_for(caller, pair_id=pair.id, period_key=period_key, starts=starts)


def choose_slot(
    runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str, start: datetime
) -> str | None:
    """Plan the session at the picked time; the pair gets a note and a calendar invite."""
    pair, _ = _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    if not caller.now < start <= caller.now + SLOT_HORIZON:
        return "That time has passed; press *Pick a time* on your next nudge for fresh ones."
    with runtime.unit_of_work() as session:
        if not first_time(session, key=f"slot:{pair.id}:{period_key}", kind="rhythm"):
            planned = next_planned(session, pair_id=pair.id, after=caller.now)
            when = (
                slack_time(planned.scheduled_at) if planned and planned.scheduled_at else "already"
            )
            return f"A time is already planned for this session ({when}); nothing changed."
        meeting = plan_session(session, pair_id=pair.id, start=start, minutes=pair.session_minutes)
        mark_pair_homes(session, pair_id=pair.id, now=caller.now)
        notices = plan_session_notices(
            session,
            pair=pair,
            session_id=meeting.id,
            period_key=period_key,
            picked_by=caller.user_id,
            now=caller.now,
        )
    log.info("rhythm.slot_chosen", pair_id=pair.id, session_id=meeting.id)
    send_now(runtime, notices)
    return None


def mark_met(runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str) -> str:
    pair, _ = _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    with runtime.unit_of_work() as session:
        if not first_time(session, key=f"met:{pair.id}:{period_key}", kind="rhythm"):
            return "This session is already logged; nothing changed."
        record_held(
            session,
            pair_id=pair.id,
            held_at=caller.now,
            minutes=pair.session_minutes,
            source="nudge",
        )
        mark_pair_homes(session, pair_id=pair.id, now=caller.now)
    log.info("rhythm.met", pair_id=pair.id)
    return ":white_check_mark: Logged your session. Thank you both!"


def open_skip(
    runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str, trigger_id: str
) -> None:
    """Ask why (for the program's records) before anything is recorded; only a member of the
    pair, while the nudge's period is current, gets the form (its submit checks again)."""
    _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    runtime.gateway.open_view(
        trigger_id=trigger_id, view=build_skip_modal(value=button_value(pair_id, period_key))
    )


def skip(
    runtime: Runtime,
    caller: Caller,
    *,
    pair_id: int,
    period_key: str,
    reason: str,
    accepted: Callable[[], object],
) -> None:
    """Record the skip once and tell the pair who skipped (never why).

    Refusals raise before `accepted` (the listener's ack), so they show in the modal;
    the note to the pair is sent after it.
    """
    pair, person = _member_in_current_period(
        runtime, caller, pair_id=pair_id, period_key=period_key
    )
    planned: int | None = None
    with runtime.unit_of_work() as session:
        if first_time(session, key=f"skip:{pair.id}:{period_key}", kind="rhythm"):
            skipped = record_skip(
                session,
                pair_id=pair.id,
                by_participant_id=person.participant_id,
                reason=reason,
                at=caller.now,
            )
            planned = plan_skip_note(
                session, pair=pair, session_id=skipped.id, period_key=period_key, now=caller.now
            )
    accepted()
    if planned is not None:
        log.info("rhythm.skipped", pair_id=pair.id, delivery_id=planned)
        send_now(runtime, [planned])


def ask_for_help(runtime: Runtime, caller: Caller, *, pair_id: int, period_key: str) -> str:
    """Tell the coordinators once per pair and period."""
    pair, _ = _member_in_current_period(runtime, caller, pair_id=pair_id, period_key=period_key)
    with runtime.unit_of_work() as session:
        planned = plan_help_request(
            session, pair=pair, period_key=period_key, asked_by=caller.user_id, now=caller.now
        )
    if planned is None:
        return "Your coordinators already know; someone will reach out to you."
    log.info("rhythm.help_asked", pair_id=pair.id, delivery_id=planned)
    send_now(runtime, [planned])
    return (
        ":raising_hand: I've told your program coordinators; "
        "someone will reach out to you directly."
    )


def coming_up(runtime: Runtime, caller: Caller) -> list[NextSession]:
    """For `/mentor next`: each active pair's next planned time and agenda so far."""
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            statuses=(PairStatus.ACTIVE,),
        )
        inputs = agenda_inputs(session, pairs, today=caller.today)
        planned = [next_planned(session, pair_id=p.id, after=caller.now) for p in pairs]
        nudges = nudge_states(session, [p.id for p in pairs])
    return [
        NextSession(
            pair,
            found.scheduled_at if found else None,
            build_agenda(inputs[pair.id]),
            *nudges[pair.id],
        )
        for pair, found in zip(pairs, planned, strict=True)
    ]


def open_log(runtime: Runtime, caller: Caller, *, trigger_id: str) -> str | None:
    """Open the log modal; a sentence instead when the caller has no partner."""
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
    if not pairs:
        return "You have no partner right now, so there's no session to log."
    runtime.gateway.open_view(
        trigger_id=trigger_id, view=build_log_modal(pairs, today=caller.today)
    )
    return None


def log_held(
    runtime: Runtime, caller: Caller, *, pair_id: int, held_on: date, minutes: int, view_id: str
) -> None:
    """A session held without a nudge, once per submitted modal; raises for a non-member."""
    held_at = datetime.combine(held_on, LOGGED_AT, tzinfo=zone(caller.timezone)).astimezone(UTC)
    with runtime.unit_of_work() as session:
        pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
        if not first_time(session, key=f"view:{view_id}", kind="log"):
            return
        record_held(session, pair_id=pair_id, held_at=held_at, minutes=minutes, source="log")
        mark_pair_homes(session, pair_id=pair_id, now=caller.now)
    log.info("rhythm.logged", pair_id=pair_id)
