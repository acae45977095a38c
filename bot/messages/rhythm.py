"""A pair's rhythm in the outbox: the planner of nudges and agendas, and the renderers of
everything the rhythm posts (nudges, agendas, offered times, a picked time and its
invite, a skip, a request for help).

Renderers read the pair and the session again at send time: a message whose pair
paused, or whose session changed meanwhile, is cancelled rather than sent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.outbox.message import Outgoing, Post, Upload
from bot.outbox.render import RenderContext, Renderer, admin_alert
from bot.rhythm import Slot, build_agenda, build_invite
from bot.runtime import Runtime
from bot.services.agenda_sources import agenda_inputs, record_agenda_signature
from bot.services.pairs import PairDetails
from bot.services.rhythm import (
    AGENDA,
    NUDGE,
    agenda_sent,
    current_period,
    offered_slots,
    plan_rhythm,
)
from bot.services.rhythm_notices import HELP, INVITE, PLANNED, SKIPPED, SLOTS
from bot.services.sessions import SessionView, planned_times, session_of
from bot.views.pairs import build_help_request_alert
from bot.views.rhythm import (
    build_agenda_message,
    build_nudge,
    build_session_planned,
    build_skip_note,
    build_slot_choices,
)
from models import Delivery
from models.enums import PairStatus, ParticipantStatus, SessionStatus

FIRST_PERIOD = "p0000"  # periods count from the pair's start, so this is its first nudge
INVITE_DESCRIPTION = (
    "Your twoway session. The junior leads the agenda; the agenda arrives in Slack an hour before."
)


def why_not(pair: PairDetails | None) -> str | None:
    """The reason a pair must not get its rhythm messages now, if any."""
    if pair is None:
        return "pair is gone"
    if pair.status != PairStatus.ACTIVE:
        return f"pair is {pair.status.value}"
    if not pair.program_open:
        return "program is closed"
    away = [p for p in pair.people if p.status != ParticipantStatus.ACTIVE]
    if away:
        return f"a participant is {away[0].status.value}"
    if not pair.dm_channel_id:
        return "pair has not been introduced yet"
    return None


def _reachable(context: RenderContext, delivery: Delivery) -> PairDetails | str:
    """The delivery's pair, or the reason to cancel the delivery."""
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    return pair


def _to_pair(pair: PairDetails, message: dict[str, Any]) -> Post:
    return Post(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def render_nudge(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = _reachable(context, delivery)
    if isinstance(pair, str):
        return pair
    message = build_nudge(
        pair,
        period_key=delivery.period,
        period_ends_on=date.fromisoformat(delivery.payload["period_ends_on"]),
        fits_everyone=bool(delivery.payload.get("fits_everyone", True)),
        when=delivery.due_at,
        first=delivery.period == FIRST_PERIOD,
    )
    return _to_pair(pair, message)


def render_agenda(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = _reachable(context, delivery)
    if isinstance(pair, str):
        return pair
    inputs = context.extras.get("agenda_inputs")
    if inputs is None:  # once per batch, for every pair in it
        agenda_rows = [p for p in context.pairs.values() if why_not(p) is None]
        inputs = context.extras["agenda_inputs"] = agenda_inputs(
            context.session, agenda_rows, today=context.now.date()
        )
    agenda = build_agenda(
        replace(inputs[pair.id], period_index=int(delivery.payload.get("period_index", 0)))
    )
    record_agenda_signature(context.session, delivery_id=delivery.id, signature=agenda.signature)
    planned = context.extras.get("planned_sessions")
    if planned is None:
        planned = context.extras["planned_sessions"] = planned_times(
            context.session, context.pairs, since=context.now - timedelta(days=1)
        )
    when = next((t for t in planned.get(pair.id, []) if t > delivery.due_at), None)
    return _to_pair(pair, build_agenda_message(pair, agenda, when=when))


def render_help_request(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    asked_by = str(delivery.payload.get("asked_by", ""))
    return admin_alert(
        context, delivery, lambda pair: build_help_request_alert(pair, asked_by=asked_by)
    )


def render_slot_offer(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """Times as of sending, so an offer the scheduler retries later is still ahead."""
    pair = _reachable(context, delivery)
    if isinstance(pair, str):
        return pair
    period_key = str(delivery.payload["period_key"])
    if current_period(pair, context.now).key != period_key:
        return "period is over"
    slots = _kept_slots(pair, delivery.payload, context.now) or offered_slots(pair, context.now)
    return _to_pair(pair, build_slot_choices(pair, period_key=period_key, slots=slots))


def _kept_slots(pair: PairDetails, payload: dict[str, Any], now: datetime) -> list[Slot]:
    """The times the clicker was shown, while every one of them is still ahead."""
    epochs = [e for e in payload.get("starts", []) if isinstance(e, int)]
    starts = [datetime.fromtimestamp(e, UTC) for e in epochs]
    if not starts or min(starts) <= now:
        return []
    fits = bool(payload.get("fits_everyone", True))
    return [Slot(start=t, minutes=pair.session_minutes, fits_everyone=fits) for t in starts]


def _planned_session(
    context: RenderContext, delivery: Delivery
) -> tuple[PairDetails, SessionView] | str:
    """The pair and the session a time was picked for, while that session is still planned."""
    pair = _reachable(context, delivery)
    if isinstance(pair, str):
        return pair
    meeting = session_of(context.session, session_id=int(delivery.payload["session_id"]))
    if meeting is None or meeting.status != SessionStatus.PLANNED or not meeting.scheduled_at:
        return "session is no longer planned"
    return pair, meeting


def render_session_planned(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = _planned_session(context, delivery)
    if isinstance(found, str):
        return found
    pair, meeting = found
    assert meeting.scheduled_at is not None
    message = build_session_planned(
        user_id=str(delivery.payload["picked_by"]),
        start=meeting.scheduled_at,
        minutes=meeting.minutes or pair.session_minutes,
        agenda_sent=agenda_sent(
            context.session, pair_id=pair.id, period_key=str(delivery.payload["period_key"])
        ),
    )
    return _to_pair(pair, message)


def render_invite(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = _planned_session(context, delivery)
    if isinstance(found, str):
        return found
    pair, meeting = found
    assert meeting.scheduled_at is not None
    invite = build_invite(
        uid=f"twoway-pair-{pair.id}-{delivery.payload['period_key']}@twoway",
        start=meeting.scheduled_at,
        minutes=meeting.minutes or pair.session_minutes,
        summary=f"Reverse mentoring: {pair.program_name}",
        description=INVITE_DESCRIPTION,
        attendees=[(p.name, None) for p in pair.people],
        now=context.now,
    )
    return Upload(
        filename="twoway-session.ics",
        content=invite,
        title="Calendar invite",
        channel=pair.dm_channel_id,
    )


def render_skip_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = _reachable(context, delivery)
    if isinstance(pair, str):
        return pair
    meeting = session_of(context.session, session_id=int(delivery.payload["session_id"]))
    if meeting is None or meeting.status != SessionStatus.SKIPPED:
        return "skip is gone"
    skipped_by = next(
        (p.user_id for p in pair.people if p.participant_id == meeting.cancelled_by_id), None
    )
    if skipped_by is None:
        return "who skipped is no longer in the pair"
    return _to_pair(pair, build_skip_note(user_id=skipped_by))


RHYTHM_RENDERERS: dict[str, Renderer] = {
    NUDGE: render_nudge,
    AGENDA: render_agenda,
    HELP: render_help_request,
    SLOTS: render_slot_offer,
    PLANNED: render_session_planned,
    INVITE: render_invite,
    SKIPPED: render_skip_note,
}


def plan_pair_rhythms(runtime: Runtime, now: datetime) -> int:
    """Nudges and agendas for every active pair's coming cadence periods, in bulk."""
    with runtime.unit_of_work() as session:
        return plan_rhythm(session, now=now)
