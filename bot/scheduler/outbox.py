"""Send what the deliveries table says is due, each row once.

Rows are claimed in one short transaction (row locks with SKIP LOCKED on
PostgreSQL, and a lease: a worker that dies after claiming leaves its rows to be
re-claimed when the lease runs out), rendered together in a second one, sent one
by one with no transaction open, and each outcome recorded right after its send.
The one gap left: a worker killed between Slack's answer and that record sends the
row again after the lease (no Slack API makes a post idempotent); the window is the
length of one commit.

Slack errors: 429 and 5xx were already retried by the gateway; what is left is
retried later with back-off, up to a limit. Permanent errors stop at their scope:
a gone user or channel pauses the pair (and the coordinators are told once), a
revoked token stops the whole workspace.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.deliveries import (
    claim_due,
    mark_cancelled,
    mark_failed,
    mark_retry,
    mark_sent,
    pause_pair_for_slack_error,
    stop_workspace,
)
from bot.services.pairs import PairDetails, pair_details_many
from bot.slack.errors import SlackError
from bot.slack.pacing import Pacer
from models import Delivery, Workspace
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


@dataclass
class RenderContext:
    """What renderers share in one batch: the session and pairs loaded in bulk."""

    session: Session
    now: datetime
    pairs: dict[int, PairDetails]
    extras: dict[str, Any] = field(default_factory=dict)  # per-batch caches of renderers


Renderer = Callable[[RenderContext, Delivery], "Outgoing | str"]
"""Build the message, or return a reason (str) to cancel the delivery instead."""


@dataclass
class SendReport:
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    stopped: int = 0  # sends refused because the workspace's token is gone
    claimed: int = 0


LIVE_WINDOW = timedelta(seconds=60)


def _live_workers(session: Session) -> int:
    """Workers that claimed rows in the last minute: a dead worker stops counting quickly
    (not only when its lease runs out), so the survivors take the whole rate back."""
    live = session.scalar(
        select(func.count(func.distinct(Delivery.claimed_by))).where(
            Delivery.status == DeliveryStatus.CLAIMED,
            Delivery.updated_at >= datetime.now(UTC) - LIVE_WINDOW,
        )
    )
    return live or 1


def _pacer(runtime: Runtime, workers: int) -> Pacer:
    if runtime.pacer is None:
        runtime.pacer = Pacer(runtime.pacing, workers=workers)
    else:
        runtime.pacer.share(workers)
    return runtime.pacer


def send_due(
    runtime: Runtime,
    now: datetime,
    renderers: dict[str, Renderer],
    *,
    limit: int = 200,
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    worker: str = WORKER_ID,
) -> int:
    """Claim up to `limit` due rows of the given kinds and send them; returns how many were sent."""
    return send_batch(
        runtime, now, renderers, limit=limit, kinds=kinds, progress=progress, worker=worker
    ).sent


def drain(
    runtime: Runtime, now: datetime, renderers: dict[str, Renderer], *, batch: int = 500
) -> SendReport:
    """Send batches until nothing due is left to claim in this pass."""
    total = SendReport()
    while True:
        report = send_batch(runtime, now, renderers, limit=batch)
        for name, value in report.__dict__.items():
            setattr(total, name, getattr(total, name) + value)
        if report.claimed == 0:
            return total


def send_batch(
    runtime: Runtime,
    now: datetime,
    renderers: dict[str, Renderer],
    *,
    limit: int = 200,
    kinds: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    worker: str = WORKER_ID,
) -> SendReport:
    """One claimed batch, sent; the report says what became of each row."""
    with runtime.unit_of_work() as session:
        ids = claim_due(
            session, now=now, worker=worker, limit=limit, kinds=kinds or renderers.keys()
        )
        workers = _live_workers(session) if ids else 1
    if not ids:
        return SendReport()
    rendered = _render(runtime, ids, now, renderers, worker)
    pacer = _pacer(runtime, workers)
    report = SendReport(cancelled=len(ids) - len(rendered), claimed=len(ids))
    stopped_workspaces: set[int] = set()
    paused_pairs: set[int] = set()
    for done, (delivery_id, workspace_id, pair_id, kind, outgoing) in enumerate(rendered, start=1):
        if workspace_id in stopped_workspaces:
            _release(runtime, delivery_id)
            continue
        if pair_id is not None and pair_id in paused_pairs:
            _cancel(runtime, delivery_id, "pair paused earlier in this pass")
            report.cancelled += 1
            continue
        outcome = _send_one(runtime, delivery_id, kind, outgoing, now, pacer)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome == "stopped":
            stopped_workspaces.add(workspace_id)
        if outcome == "failed" and pair_id is not None:
            paused_pairs.add(pair_id)
        if progress is not None:
            progress(done, len(rendered))
    log.info("outbox.pass", worker=worker, **report.__dict__)
    return report


Rendered = tuple[int, int, int | None, str, Outgoing]  # delivery, workspace, pair, kind, message


def _render(
    runtime: Runtime, ids: list[int], now: datetime, renderers: dict[str, Renderer], worker: str
) -> list[Rendered]:
    """Render a claimed batch in one transaction; cancel what should no longer be sent."""
    out: list[Rendered] = []
    with runtime.unit_of_work() as session:
        deliveries = list(
            session.scalars(
                select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.due_at, Delivery.id)
            )
        )
        context = RenderContext(
            session, now, pair_details_many(session, {d.pair_id for d in deliveries if d.pair_id})
        )
        for delivery in deliveries:
            if delivery.status != DeliveryStatus.CLAIMED or delivery.claimed_by != worker:
                continue
            rendered = renderers[delivery.kind](context, delivery)
            if isinstance(rendered, str):
                mark_cancelled(session, delivery, reason=rendered)
                log.info(
                    "delivery.cancelled",
                    delivery_id=delivery.id,
                    kind=delivery.kind,
                    reason=rendered,
                )
                continue
            out.append(
                (delivery.id, delivery.workspace_id, delivery.pair_id, delivery.kind, rendered)
            )
    return out


def _cancel(runtime: Runtime, delivery_id: int, reason: str) -> None:
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is not None and delivery.status == DeliveryStatus.CLAIMED:
            mark_cancelled(session, delivery, reason=reason)


def _release(runtime: Runtime, delivery_id: int) -> None:
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is not None and delivery.status == DeliveryStatus.CLAIMED:
            delivery.status = DeliveryStatus.PLANNED
            delivery.attempts = max(0, delivery.attempts - 1)
            delivery.lease_until = None


def _send_one(
    runtime: Runtime, delivery_id: int, kind: str, outgoing: Outgoing, now: datetime, pacer: Pacer
) -> str:
    try:
        channel = outgoing.channel or runtime.gateway.open_dm(outgoing.open_with)
        pacer.wait(channel)
        posted = runtime.gateway.post_message(
            channel=channel, text=outgoing.text, blocks=outgoing.blocks
        )
    except SlackError as error:
        return _record_failure(runtime, delivery_id, kind, error, now)
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        mark_sent(session, delivery, channel=posted.channel, ts=posted.ts, now=now)
        if outgoing.on_sent is not None:
            outgoing.on_sent(session, posted.channel, posted.ts)
    log.info("delivery.sent", delivery_id=delivery_id, kind=kind, channel=posted.channel)
    return "sent"


def _record_failure(
    runtime: Runtime, delivery_id: int, kind: str, error: SlackError, now: datetime
) -> str:
    reason = f"{error.method}: {error.code}"
    log.warning(
        "delivery.failed", delivery_id=delivery_id, kind=kind, code=error.code, scope=error.scope
    )
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        if error.scope == "workspace":
            mark_failed(session, delivery, error=reason)
            stop_workspace(session, workspace_id=delivery.workspace_id, reason=reason)
            return "stopped"
        if error.permanent:
            mark_failed(session, delivery, error=reason)
            if delivery.pair_id is not None:
                pause_pair_for_slack_error(
                    session, pair_id=delivery.pair_id, reason=reason, now=now
                )
            return "failed"
        mark_retry(session, delivery, error=reason, now=now)
        return "failed" if delivery.status == DeliveryStatus.FAILED else "retried"


def admin_alert(
    context: RenderContext, delivery: Delivery, build: Callable[[PairDetails], dict[str, Any]]
) -> Outgoing | str:
    """Render a message about the delivery's pair for the workspace's admin channel."""
    pair = context.pairs.get(delivery.pair_id or 0)
    workspace = context.session.get(Workspace, delivery.workspace_id)
    if pair is None or workspace is None or not workspace.admin_channel_id:
        return "no admin channel to tell"
    message = build(pair)
    return Outgoing(
        text=message["text"], blocks=message["blocks"], channel=workspace.admin_channel_id
    )
