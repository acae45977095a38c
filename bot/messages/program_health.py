"""The reminder a coordinator sends a stalled pair (from an insight or the stall digest)."""

from __future__ import annotations

from bot.messages.rhythm import why_not
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.services.insights import STALL_REMINDER
from bot.services.rhythm import current_period
from bot.views.stalls import build_stall_reminder
from models import Delivery


def render_stall_reminder(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    message = build_stall_reminder(pair, period_key=current_period(pair, context.now).key)
    return Post(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


HEALTH_RENDERERS: dict[str, Renderer] = {STALL_REMINDER: render_stall_reminder}
