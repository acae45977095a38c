"""Send what the deliveries table says is due, each row at most once.

A row is claimed in one short transaction, rendered in another, sent with no
transaction open, and its outcome recorded in a third. A worker that dies after
claiming leaves the row to be re-claimed when its lease runs out.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.deliveries import claim_due, mark_cancelled, mark_failed, mark_retry, mark_sent
from bot.slack.errors import SlackError
from models import Delivery
from models.enums import DeliveryStatus

log = get_logger("twoway.outbox")

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Outgoing:
    """A rendered delivery: where it goes and what it says."""

    text: str
    blocks: list[dict[str, Any]]
    channel: str | None = None  # a known channel id, or...
    open_with: tuple[str, ...] = ()  # ...user ids whose (group) DM is opened through the cache
    on_sent: Callable[[Session, str, str], None] | None = field(default=None, compare=False)


Renderer = Callable[[Session, Delivery], "Outgoing | str"]
"""Build the message, or return a reason (str) to cancel the delivery instead."""


def send_due(
    runtime: Runtime,
    now: datetime,
    renderers: dict[str, Renderer],
    *,
    limit: int = 200,
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Claim up to `limit` due rows of the given kinds and send them; returns how many were sent."""
    with runtime.unit_of_work() as session:
        ids = claim_due(
            session, now=now, worker=WORKER_ID, limit=limit, kinds=kinds or renderers.keys()
        )
    sent = 0
    for done, delivery_id in enumerate(ids, start=1):
        sent += _send_one(runtime, delivery_id, now, renderers)
        if progress is not None:
            progress(done, len(ids))
    return sent


def _send_one(
    runtime: Runtime, delivery_id: int, now: datetime, renderers: dict[str, Renderer]
) -> int:
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        if (
            delivery is None
            or delivery.status != DeliveryStatus.CLAIMED
            or delivery.claimed_by != WORKER_ID
        ):
            return 0
        rendered = renderers[delivery.kind](session, delivery)
        if isinstance(rendered, str):
            mark_cancelled(session, delivery, reason=rendered)
            log.info(
                "delivery.cancelled", delivery_id=delivery_id, kind=delivery.kind, reason=rendered
            )
            return 0
        kind = delivery.kind
    try:
        channel = rendered.channel or runtime.gateway.open_dm(rendered.open_with)
        posted = runtime.gateway.post_message(
            channel=channel, text=rendered.text, blocks=rendered.blocks
        )
    except SlackError as error:
        with runtime.unit_of_work() as session:
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            if error.permanent:
                mark_failed(session, delivery, error=f"{error.method}: {error.code}")
            else:
                mark_retry(session, delivery, error=f"{error.method}: {error.code}", now=now)
        log.warning(
            "delivery.failed",
            delivery_id=delivery_id,
            kind=kind,
            code=error.code,
            permanent=error.permanent,
        )
        return 0
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        mark_sent(session, delivery, channel=posted.channel, ts=posted.ts, now=now)
        if rendered.on_sent is not None:
            rendered.on_sent(session, posted.channel, posted.ts)
    log.info("delivery.sent", delivery_id=delivery_id, kind=kind, channel=posted.channel)
    return 1
