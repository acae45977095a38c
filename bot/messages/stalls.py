"""Stall notes (to the pair) and stall alerts (to the coordinators, once): the planner
the scheduler runs and the renderers of both."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.messages.rhythm import why_not
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer, admin_alert, admin_notice
from bot.runtime import Runtime
from bot.services.pairs import PairDetails, pair_details_many
from bot.services.stalls import (
    ALERT,
    DIGEST,
    NOTE,
    last_answered,
    mark_alerts_told,
    plan_stalls,
    skips_by_person,
)
from bot.views.stalls import DigestEntry, build_stall_alert, build_stall_digest, build_stall_note
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


def render_stall_digest(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """The stalls of one tick in one message; pairs gone since are left out."""
    stalls = [[*list(item), None] for item in delivery.payload["stalls"]]
    wanted = [(int(item[0]), int(item[1])) for item in stalls]
    told = [(int(item[0]), str(item[2])) for item in stalls if item[2] is not None]
    ids = [pair_id for pair_id, _ in wanted]
    pairs = pair_details_many(context.session, ids)
    answered = last_answered(context.session, ids)
    skips = skips_by_person(context.session, ids)
    entries = []
    for pair_id, missed in wanted:
        pair = pairs.get(pair_id)
        if pair is None:
            continue
        users = {p.participant_id: p.user_id for p in pair.people}
        last = answered.get(pair_id)
        entries.append(
            DigestEntry(
                pair,
                missed,
                users.get(last) if last else None,
                {users[p]: n for p, n in skips.get(pair_id, {}).items() if p in users},
            )
        )
    if not entries:
        return "every pair of the digest is gone"
    message = build_stall_digest(
        entries,
        page=int(delivery.payload.get("page", 1)),
        pages=int(delivery.payload.get("pages", 1)),
        total=int(delivery.payload.get("total", len(entries))),
    )
    post = admin_notice(context, delivery, message)
    if isinstance(post, str):
        return post

    def on_sent(session: Session, channel: str, ts: str) -> None:
        mark_alerts_told(session, alerts=told, channel=channel, ts=ts, now=context.now)

    return replace(post, on_sent=on_sent)


STALL_RENDERERS: dict[str, Renderer] = {
    NOTE: render_stall_note,
    ALERT: render_stall_alert,  # rows planned before the digest existed
    DIGEST: render_stall_digest,
}
