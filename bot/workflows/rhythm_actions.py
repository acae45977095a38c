"""What the buttons on a session nudge do; each is idempotent per pair and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.errors import NotAllowed
from bot.rhythm import build_invite, period_of, propose_slots
from bot.runtime import Runtime
from bot.scheduler.outbox import send_due
from bot.services.deliveries import plan_delivery
from bot.services.idempotency import first_time
from bot.services.pairs import PairDetails, PairPerson, pair_for_member
from bot.services.rhythm import availability
from bot.services.sessions import next_planned, plan_session, record_held, record_skip
from bot.views.rhythm import build_session_planned, build_slot_choices, slack_time
from bot.workflows.rhythm_messages import RHYTHM_RENDERERS

SLOT_LEAD = timedelta(hours=2)  # proposed slots start at least this far ahead
SLOT_HORIZON = timedelta(days=21)


@dataclass(frozen=True)
class Clicked:
    pair_id: int
    period_key: str
    user_id: str


def _member_in_current_period(
    runtime: Runtime, clicked: Clicked, now: datetime
) -> tuple[PairDetails, PairPerson]:
    """The pair, if the clicker is in it and the button's period is still the current one."""
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(session, pair_id=clicked.pair_id, user_id=clicked.user_id)
    assert pair.started_at is not None
    current = period_of(
        pair.cadence, anchor=pair.started_at.date(), on=max(now.date(), pair.started_at.date())
    )
    if current.key != clicked.period_key:
        raise NotAllowed(
            "This nudge is from an earlier period, so I left everything as it was. Your latest nudge has fresh buttons."
        )
    return pair, person


def offer_slots(runtime: Runtime, clicked: Clicked, now: datetime) -> str | None:
    pair, _ = _member_in_current_period(runtime, clicked, now)
    with runtime.unit_of_work() as session:
        fresh = first_time(session, key=f"offer:{pair.id}:{clicked.period_key}", kind="rhythm")
    if not fresh:
        return "I've already offered times for this period: they're in your pair conversation."
    slots = propose_slots(
        [availability(p) for p in pair.people], after=now + SLOT_LEAD, minutes=pair.session_minutes
    )
    assert pair.dm_channel_id is not None
    runtime.gateway.post_message(
        channel=pair.dm_channel_id,
        **build_slot_choices(pair, period_key=clicked.period_key, slots=slots),
    )
    return None


def choose_slot(runtime: Runtime, clicked: Clicked, start: datetime, now: datetime) -> str | None:
    pair, _ = _member_in_current_period(runtime, clicked, now)
    if not now < start <= now + SLOT_HORIZON:
        return "That time has passed; press *Pick a time* on your next nudge for fresh ones."
    with runtime.unit_of_work() as session:
        if not first_time(session, key=f"slot:{pair.id}:{clicked.period_key}", kind="rhythm"):
            planned = next_planned(session, pair_id=pair.id, after=now)
            when = (
                slack_time(planned.scheduled_at) if planned and planned.scheduled_at else "already"
            )
            return f"A time is already planned for this period ({when}); nothing changed."
        plan_session(session, pair_id=pair.id, start=start, minutes=pair.session_minutes)
    assert pair.dm_channel_id is not None
    runtime.gateway.post_message(
        channel=pair.dm_channel_id,
        **build_session_planned(user_id=clicked.user_id, start=start, minutes=pair.session_minutes),
    )
    invite = build_invite(
        uid=f"twoway-pair-{pair.id}-{clicked.period_key}@twoway",
        start=start,
        minutes=pair.session_minutes,
        summary=f"Reverse mentoring: {pair.program_name}",
        description="Your twoway session. The junior leads the agenda; the agenda arrives in Slack an hour before.",
        attendees=[(p.name, None) for p in pair.people],
        now=now,
    )
    runtime.gateway.upload_file(
        channel=pair.dm_channel_id,
        filename="twoway-session.ics",
        content=invite,
        title="Calendar invite",
    )
    return None


def mark_met(runtime: Runtime, clicked: Clicked, now: datetime) -> str:
    pair, _ = _member_in_current_period(runtime, clicked, now)
    with runtime.unit_of_work() as session:
        if not first_time(session, key=f"met:{pair.id}:{clicked.period_key}", kind="rhythm"):
            return "Your session for this period is already logged; nothing changed."
        record_held(
            session, pair_id=pair.id, held_at=now, minutes=pair.session_minutes, source="nudge"
        )
    return ":white_check_mark: Logged your session. Thank you both!"


def skip(runtime: Runtime, clicked: Clicked, reason: str, now: datetime) -> bool:
    """Record the skip once; False when this period was already skipped."""
    pair, person = _member_in_current_period(runtime, clicked, now)
    with runtime.unit_of_work() as session:
        if not first_time(session, key=f"skip:{pair.id}:{clicked.period_key}", kind="rhythm"):
            return False
        record_skip(
            session, pair_id=pair.id, by_participant_id=person.participant_id, reason=reason, at=now
        )
    if pair.dm_channel_id:
        runtime.gateway.post_message(
            channel=pair.dm_channel_id,
            text=f"<@{clicked.user_id}> can't make it this time. See you at the next nudge!",
        )
    return True


def ask_for_help(runtime: Runtime, clicked: Clicked, now: datetime) -> str:
    pair, _ = _member_in_current_period(runtime, clicked, now)
    with runtime.unit_of_work() as session:
        planned = plan_delivery(
            session,
            workspace_id=pair.workspace_id,
            kind="admin_help",
            period=clicked.period_key,
            due_at=now,
            pair_id=pair.id,
            payload={"asked_by": clicked.user_id},
        )
    if not planned:
        return "Your coordinators already know; someone will reach out to you."
    send_due(runtime, now, RHYTHM_RENDERERS, kinds=["admin_help"])
    return ":raising_hand: I've told your program coordinators; someone will reach out to you directly."


def log_session(
    runtime: Runtime, *, pair_id: int, user_id: str, held_at: datetime, minutes: int
) -> None:
    with runtime.unit_of_work() as session:
        pair_for_member(session, pair_id=pair_id, user_id=user_id)
        record_held(session, pair_id=pair_id, held_at=held_at, minutes=minutes, source="log")


def now_utc() -> datetime:
    return datetime.now(UTC)
