"""Stall notes (to the pair) and stall alerts (to the coordinators, once): the planner
the scheduler runs and the renderers of both."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.messages.rhythm import why_not
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer, admin_alert
from bot.runtime import Runtime
from bot.services.pairs import PairDetails
from bot.services.stalls import ALERT, NOTE, last_answered, plan_stalls, skips_by_person
from bot.views.stalls import build_stall_alert, build_stall_note
from models import Delivery


def plan_stall_notes(runtime: Runtime, now: datetime) -> int:
    """One note per stall when it reaches 2 missed periods; one alert when it reaches 3."""
    with runtime.unit_of_work() as session:
        return plan_stalls(session, now=now)


def render_stall_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    message = build_stall_note(
        pair, period_key=str(delivery.payload["period_key"]), missed=int(delivery.payload["missed"])
    )
    return Post(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def render_stall_alert(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """Who answered last and who skipped how often: ids and counts, nothing written."""

    def build(pair: PairDetails) -> dict[str, Any]:
        by_participant = {p.participant_id: p.user_id for p in pair.people}
        answered = last_answered(context.session, [pair.id]).get(pair.id)
        skips = skips_by_person(context.session, [pair.id]).get(pair.id, {})
        return build_stall_alert(
            pair,
            missed=int(delivery.payload["missed"]),
            last_answered=by_participant.get(answered) if answered else None,
            skips={by_participant[p]: n for p, n in skips.items() if p in by_participant},
        )

    return admin_alert(context, delivery, build)


STALL_RENDERERS: dict[str, Renderer] = {NOTE: render_stall_note, ALERT: render_stall_alert}
