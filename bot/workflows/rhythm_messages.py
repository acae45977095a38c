"""Renderers for a pair's rhythm: the session nudge and the agenda, plus help requests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.rhythm import build_agenda
from bot.scheduler.outbox import Outgoing, RenderContext, Renderer, admin_alert
from bot.services.agenda_sources import agenda_inputs
from bot.services.pairs import PairDetails
from bot.views.pairs import build_help_request_alert
from bot.views.rhythm import build_agenda_message, build_nudge
from models import Delivery, MentoringSession
from models.enums import PairStatus, ParticipantStatus, SessionStatus


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


def render_nudge(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    message = build_nudge(
        pair,
        period_key=delivery.period,
        period_ends_on=date.fromisoformat(delivery.payload["period_ends_on"]),
        fits_everyone=bool(delivery.payload.get("fits_everyone", True)),
        when=delivery.due_at,
    )
    return Outgoing(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def render_agenda(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    inputs = context.extras.get("agenda_inputs")
    if inputs is None:  # once per batch, for every pair in it
        agenda_rows = [p for p in context.pairs.values() if why_not(p) is None]
        inputs = context.extras["agenda_inputs"] = agenda_inputs(context.session, agenda_rows)
    agenda = build_agenda(
        replace(inputs[pair.id], period_index=int(delivery.payload.get("period_index", 0)))
    )
    delivery.payload = {**delivery.payload, "signature": agenda.signature}
    planned = context.extras.get("planned_sessions")
    if planned is None:
        planned = context.extras["planned_sessions"] = _planned_sessions(context)
    when = next((t for t in planned.get(pair.id, []) if t > delivery.due_at), None)
    message = build_agenda_message(pair, agenda, when=when)
    return Outgoing(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def _planned_sessions(context: RenderContext) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    rows = context.session.execute(
        select(MentoringSession.pair_id, MentoringSession.scheduled_at)
        .where(
            MentoringSession.pair_id.in_(list(context.pairs)),
            MentoringSession.status == SessionStatus.PLANNED,
            MentoringSession.scheduled_at > context.now - timedelta(days=1),
        )
        .order_by(MentoringSession.scheduled_at)
    )
    for pair_id, scheduled_at in rows:
        found[pair_id].append(scheduled_at)
    return found


def render_help_request(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    asked_by = str(delivery.payload.get("asked_by", ""))
    return admin_alert(
        context, delivery, lambda pair: build_help_request_alert(pair, asked_by=asked_by)
    )


RHYTHM_RENDERERS: dict[str, Renderer] = {
    "session_nudge": render_nudge,
    "agenda": render_agenda,
    "admin_help": render_help_request,
}
