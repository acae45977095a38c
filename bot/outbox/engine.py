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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.logging import get_logger
from bot.outbox.message import HomePublish, Outgoing, Post, Update, Upload
from bot.outbox.render import RenderContext, Renderer
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
from bot.services.pairs import pair_details_many
from bot.slack.errors import SlackError
from bot.slack.pacing import Pacer
from models import Delivery
from models.enums import DeliveryStatus

log = get_logger("twoway.outbox")

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class SendReport:
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    stopped: int = 0  # sends refused because the workspace's token is gone
    claimed: int = 0


LIVE_WINDOW = timedelta(seconds=60)


def _live_workers(session: Session, wall_now: datetime) -> int:
    """Workers that claimed rows in the last minute: a dead worker stops counting quickly
    (not only when its lease runs out), so the survivors take the whole rate back.
    `wall_now` is the runtime clock's reading (rows' `updated_at` are real instants)."""
    live = session.scalar(
        select(func.count(func.distinct(Delivery.claimed_by))).where(
            Delivery.status == DeliveryStatus.CLAIMED,
            Delivery.updated_at >= wall_now - LIVE_WINDOW,
        )
    )
    return live or 1


def _pacer(runtime: Runtime, workers: int) -> Pacer:
    if runtime.pacer is None:
        runtime.pacer = Pacer(runtime.pacing, workers=workers)
    else:
        runtime.pacer.share(workers)
    return runtime.pacer


Renderers = Mapping[str, Renderer]


def send_due(
    runtime: Runtime,
    now: datetime,
    renderers: Renderers | None = None,
    *,
    limit: int = 200,
    kinds: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    worker: str = WORKER_ID,
) -> int:
    """Claim up to `limit` due rows (of the given kinds, or ids) and send them; returns how
    many were sent. Renderers default to every feature's."""
    return send_batch(
        runtime,
        now,
        renderers,
        limit=limit,
        kinds=kinds,
        ids=ids,
        progress=progress,
        worker=worker,
    ).sent


def send_now(runtime: Runtime, delivery_ids: Iterable[int]) -> SendReport:
    """Send rows a flow has just planned and committed, without waiting for the next tick.

    A row Slack refuses now stays in the table and the scheduler retries it: nothing a
    flow hands the outbox is lost to a Slack outage.
    """
    wanted = sorted(set(delivery_ids))
    if not wanted:
        return SendReport()
    return send_batch(runtime, runtime.clock.now(), None, limit=len(wanted), ids=wanted)


def drain(
    runtime: Runtime, now: datetime, renderers: Renderers | None = None, *, batch: int = 500
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
    renderers: Renderers | None = None,
    *,
    limit: int = 200,
    kinds: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    worker: str = WORKER_ID,
) -> SendReport:
    """One claimed batch, sent; the report says what became of each row."""
    renderers = runtime.features.renderers() if renderers is None else renderers
    with runtime.unit_of_work() as session:
        claimed = claim_due(
            session,
            now=now,
            worker=worker,
            limit=limit,
            kinds=kinds or renderers.keys(),
            ids=ids,
        )
        workers = _live_workers(session, runtime.clock.now()) if claimed else 1
    if not claimed:
        return SendReport()
    rendered = _render(runtime, claimed, now, renderers, worker)
    pacer = _pacer(runtime, workers)
    report = SendReport(cancelled=len(claimed) - len(rendered), claimed=len(claimed))
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
    runtime: Runtime, ids: list[int], now: datetime, renderers: Renderers, worker: str
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
        channel, ts = _deliver(runtime, outgoing, pacer)
    except SlackError as error:
        return _record_failure(runtime, delivery_id, kind, error, now)
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        mark_sent(session, delivery, channel=channel, ts=ts, now=now)
        on_sent = getattr(outgoing, "on_sent", None)
        if on_sent is not None:
            on_sent(session, channel or "", ts or "")
    log.info("delivery.sent", delivery_id=delivery_id, kind=kind, channel=channel)
    return "sent"


def _deliver(runtime: Runtime, outgoing: Outgoing, pacer: Pacer) -> tuple[str | None, str | None]:
    """Make the one Slack call this message needs; (channel, ts) of what Slack kept."""
    gateway = runtime.gateway
    match outgoing:
        case Post():
            channel = outgoing.channel or gateway.open_dm(outgoing.open_with)
            pacer.wait(channel)
            posted = gateway.post_message(
                channel=channel, text=outgoing.text, blocks=outgoing.blocks
            )
            return posted.channel, posted.ts
        case Upload():
            channel = outgoing.channel or gateway.open_dm(outgoing.open_with)
            pacer.wait(channel)
            gateway.upload_file(
                channel=channel,
                filename=outgoing.filename,
                content=outgoing.content,
                title=outgoing.title,
                comment=outgoing.comment,
            )
            return channel, None
        case HomePublish():
            gateway.publish_home(user_id=outgoing.user_id, view=outgoing.view)
            return None, None
        case Update():
            pacer.wait(outgoing.channel)
            gateway.update_message(
                channel=outgoing.channel, ts=outgoing.ts, text=outgoing.text, blocks=outgoing.blocks
            )
            return outgoing.channel, outgoing.ts
    raise TypeError(f"not an outgoing message: {outgoing!r}")


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
