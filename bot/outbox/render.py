"""How features turn a claimed deliveries row into an `Outgoing` message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post
from bot.services.pairs import PairDetails
from bot.services.workspaces import admin_channel_of
from models import Delivery


@dataclass
class RenderContext:
    """What renderers share in one batch: the session and pairs loaded in bulk."""

    session: Session
    now: datetime
    pairs: dict[int, PairDetails]
    extras: dict[str, Any] = field(default_factory=dict)  # per-batch caches of renderers
    # TWOWAY_COORDINATORS: coordinators the database does not know (it holds only the
    # in-app ones and Slack admins), for renderers that show coordinators something else
    bootstrap_coordinators: frozenset[str] = frozenset()


Renderer = Callable[[RenderContext, Delivery], "Outgoing | str"]
"""Build the message, or return a reason (str) to cancel the delivery instead."""


def admin_alert(
    context: RenderContext, delivery: Delivery, build: Callable[[PairDetails], dict[str, Any]]
) -> Outgoing | str:
    """Render a message about the delivery's pair for the workspace's admin channel."""
    pair = context.pairs.get(delivery.pair_id or 0)
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if pair is None or not channel:
        return "no admin channel to tell"
    message = build(pair)
    return Post(text=message["text"], blocks=message["blocks"], channel=channel)


def admin_notice(context: RenderContext, delivery: Delivery, message: dict[str, Any]) -> Post | str:
    """Render a message for the workspace's admin channel (not about one pair)."""
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if not channel:
        return "no admin channel to tell"
    return Post(text=message["text"], blocks=message.get("blocks") or [], channel=channel)
