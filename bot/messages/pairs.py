"""Renderers for outbox rows about a pair: introduction, end-of-round thanks, pause alerts."""

from __future__ import annotations

from functools import partial

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer, admin_alert
from bot.services.pairs import record_intro
from bot.views.pairs import build_farewell, build_intro, build_pair_paused_alert
from models import Delivery
from models.enums import PairStatus


def render_intro(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    if pair is None or pair.status != PairStatus.ACTIVE:
        return f"pair is {pair.status.value if pair else 'gone'}"
    message = build_intro(pair)
    return Post(
        text=message["text"],
        blocks=message["blocks"],
        open_with=pair.user_ids,
        on_sent=partial(_remember_intro, pair_id=pair.id),
    )


def _remember_intro(session: Session, channel: str, ts: str, *, pair_id: int) -> None:
    record_intro(session, pair_id=pair_id, channel=channel, ts=ts)


def render_farewell(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    if pair is None or not pair.dm_channel_id:
        return "pair was never introduced"
    message = build_farewell(pair)
    return Post(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def render_pair_paused_alert(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    """Tell the coordinators, once per pause, that Slack can no longer reach a pair."""
    reason = str(delivery.payload.get("reason", ""))
    return admin_alert(context, delivery, lambda pair: build_pair_paused_alert(pair, reason=reason))


PAIR_RENDERERS: dict[str, Renderer] = {
    "pair_intro": render_intro,
    "pair_farewell": render_farewell,
    "admin_pair_paused": render_pair_paused_alert,
}
