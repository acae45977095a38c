"""Send what the deliveries table says is due, each row once, and say honestly when a row
may have gone twice or not at all.

Rows are claimed in one short transaction (row locks with SKIP LOCKED on PostgreSQL, and a
lease: a worker that dies after claiming leaves its rows to be claimed again when the
lease runs out), rendered together in a second one, then sent one by one with no
transaction open. Each send is bracketed by two short commits: the row is marked
`sending` just before the Slack call, and its outcome recorded right after.

No Slack API makes a post idempotent, so the window that remains is the Slack call itself
(plus the commit after it): a worker killed, or cut from its database, while a call is in
flight leaves a `sending` row whose fate nobody knows. After its lease such a row is
settled by its kind's policy (`Feature.at_most_once`):

- re-send (the default: nudges, agendas, slot offers, previews, intros): planned again and
  sent, so the person may see it twice; the row keeps a note saying so and the pass
  counts it (`SendReport.resent`);
- at most once (feedback, enrolment confirmations, coordinator alerts…): marked
  `uncertain` with the reason "uncertain: may or may not have reached Slack", logged
  (`delivery.uncertain`), listed by `twoway deliveries --status uncertain`, never sent
  again (`SendReport.uncertain`). The same holds when the call timed out or the
  connection broke after the request went out.

A row whose lease ran out before its call started is claimed again as if never tried.

Slack errors: 429 and 5xx were already retried by the gateway; what is left is retried
later with back-off, up to a limit. Permanent errors stop at their scope: a gone user or
channel pauses the pair (and the coordinators are told once), a revoked token stops the
whole workspace.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.logging import get_logger
from bot.outbox.message import HomePublish, Outgoing, Post, Update, Upload
from bot.outbox.outcomes import (
    Lease,
    SendReport,
    at_most_once_kinds,
    record_failure,
    settled,
)
from bot.outbox.render import RenderContext, Renderer
from bot.runtime import Runtime
from bot.services.deliveries import claim_due, mark_cancelled, record_sent
from bot.services.delivery_attempts import mark_sending, settle_interrupted
from bot.services.pairs import pair_details_many
from bot.slack.errors import SlackError
from bot.slack.pacing import Pacer
from models import Delivery
from models.enums import DeliveryStatus

log = get_logger("twoway.outbox")

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def worker_for(task: str) -> str:
    """A worker name of this process for one flow's own sends (`host:pid/task`), so that
    its claims can be told from the scheduler's and taken back when that flow stopped."""
    return f"{WORKER_ID[: 63 - len(task)]}/{task}"


LIVE_WINDOW = timedelta(seconds=60)


def _live_workers(session: Session, wall_now: datetime) -> int:
    """Workers that claimed rows in the last minute: a dead worker stops counting quickly
    (not only when its lease runs out), so the survivors take the whole rate back.
    `wall_now` is the runtime clock's reading, the clock that stamps rows' `updated_at`."""
    holders = session.scalars(
        select(func.distinct(Delivery.claimed_by)).where(
            Delivery.status.in_([DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]),
            Delivery.updated_at >= wall_now - LIVE_WINDOW,
        )
    )
    # One pacer per process: a flow's own worker name (`worker/…`) is its process's share.
    return len({holder.split("/", 1)[0] for holder in holders if holder}) or 1


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
    take_over: str | None = None,
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
        take_over=take_over,
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
    take_over: str | None = None,
) -> SendReport:
    """One claimed batch, sent; the report says what became of each row.

    Rows cut off mid-call are settled first, by their kind's policy. `take_over` names a
    worker known to have stopped (a flow of this process that failed): its rows are
    settled or handed back now rather than when their lease runs out.
    """
    renderers = runtime.features.renderers() if renderers is None else renderers
    wanted = list(kinds or renderers.keys())
    started = runtime.clock.now()
    with runtime.unit_of_work() as session:
        interrupted = settle_interrupted(
            session,
            now=now,
            at_most_once=at_most_once_kinds(runtime.features),
            kinds=wanted,
            ids=ids,
            holder=take_over,
        )
        claimed = claim_due(session, now=now, worker=worker, limit=limit, kinds=wanted, ids=ids)
        workers = _live_workers(session, started) if claimed else 1
    report = settled(interrupted, worker)
    if not claimed:
        return report
    rendered = _render(runtime, claimed, now, renderers, worker)
    pacer = _pacer(runtime, workers)
    report.cancelled, report.claimed = len(claimed) - len(rendered), len(claimed)
    lease = Lease(runtime, now, started)
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
        outcome = _send_one(runtime, delivery_id, kind, outgoing, now, pacer, worker, lease)
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
            session,
            now,
            pair_details_many(session, {d.pair_id for d in deliveries if d.pair_id}),
            bootstrap_coordinators=frozenset(runtime.settings.coordinators),
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
    runtime: Runtime,
    delivery_id: int,
    kind: str,
    outgoing: Outgoing,
    now: datetime,
    pacer: Pacer,
    worker: str,
    lease: Lease,
) -> str:
    """Prepare (DM opened, pacing waited), record the attempt, call Slack, record the outcome."""
    try:
        call = _prepare(runtime, outgoing, pacer)
    except SlackError as error:  # nothing was posted yet
        return record_failure(runtime, delivery_id, kind, error, now, in_flight=False)
    with runtime.unit_of_work() as session:  # the attempt is on record before Slack sees it
        attempt = mark_sending(session, delivery_id, worker=worker, lease_until=lease.until())
    if not attempt:
        log.warning("delivery.taken_over", delivery_id=delivery_id, kind=kind, worker=worker)
        return "taken_over"
    try:
        channel, ts = call()
    except SlackError as error:
        return record_failure(runtime, delivery_id, kind, error, now, in_flight=True)
    with runtime.unit_of_work() as session:
        record_sent(session, delivery_id, channel=channel, ts=ts, now=now)
        on_sent = getattr(outgoing, "on_sent", None)
        if on_sent is not None:
            on_sent(session, channel or "", ts or "")
    log.info("delivery.sent", delivery_id=delivery_id, kind=kind, channel=channel)
    return "sent"


Call = Callable[[], tuple[str | None, str | None]]


def _prepare(runtime: Runtime, outgoing: Outgoing, pacer: Pacer) -> Call:
    """Everything before the one Slack call that makes the message (opening the DM, the
    pacing wait); the call itself, returning (channel, ts) of what Slack kept."""
    gateway = runtime.gateway
    match outgoing:
        case Post():
            channel = outgoing.channel or gateway.open_dm(outgoing.open_with)
            pacer.wait(channel)

            def post() -> tuple[str | None, str | None]:
                posted = gateway.post_message(
                    channel=channel, text=outgoing.text, blocks=outgoing.blocks
                )
                return posted.channel, posted.ts

            return post
        case Upload():
            channel = outgoing.channel or gateway.open_dm(outgoing.open_with)
            pacer.wait(channel)

            def upload() -> tuple[str | None, str | None]:
                gateway.upload_file(
                    channel=channel,
                    filename=outgoing.filename,
                    content=outgoing.content,
                    title=outgoing.title,
                    comment=outgoing.comment,
                    thread_ts=outgoing.thread_ts,
                )
                return channel, None

            return upload
        case HomePublish():

            def publish() -> tuple[str | None, str | None]:
                gateway.publish_home(user_id=outgoing.user_id, view=outgoing.view)
                return None, None

            return publish
        case Update():
            pacer.wait(outgoing.channel)

            def update() -> tuple[str | None, str | None]:
                gateway.update_message(
                    channel=outgoing.channel,
                    ts=outgoing.ts,
                    text=outgoing.text,
                    blocks=outgoing.blocks,
                )
                return outgoing.channel, outgoing.ts

            return update
    raise TypeError(f"not an outgoing message: {outgoing!r}")
