"""Attempts cut off mid-call: recorded before the Slack call, settled by the kind's policy.

Slack offers no idempotent post, so a worker that dies (or loses its database) while a
call is in flight leaves a row nobody can vouch for. Marking the row `sending` in a commit
of its own just before the call makes that row recognisable after the lease: a row that
never got that far is simply claimed again, one that did is *uncertain* and its kind
decides (`Feature.at_most_once`): sent again, or reported and left alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.services.deliveries import MAX_ATTEMPTS, RESENT_NOTE, UNCERTAIN_REASON
from models import Delivery
from models.enums import DeliveryStatus


@dataclass(frozen=True)
class Interrupted:
    """A row whose Slack call was cut off, and what its kind's policy made of it."""

    id: int
    kind: str
    resent: bool  # put back to be sent again (a duplicate is possible), else left uncertain


def settle_interrupted(
    session: Session,
    *,
    now: datetime,
    at_most_once: Collection[str],
    kinds: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
    holder: str | None = None,
) -> list[Interrupted]:
    """Rows left `sending` by a worker that is gone: their lease ran out, or `holder` (a
    worker known to have stopped, e.g. a flow of this process that failed) held them.

    A kind in `at_most_once` becomes UNCERTAIN with `UNCERTAIN_REASON` and is never sent
    again; any other kind is planned again, due at once, with a note that it may arrive
    twice (unless it used up its attempts: then it too stays uncertain). Rows `holder`
    merely claimed (no call made) are handed back as planned.
    """
    gone = Delivery.lease_until < now
    if holder is not None:
        gone = gone | (Delivery.claimed_by == holder)
    query = (
        select(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, gone)
        .order_by(Delivery.id)
        .with_for_update(skip_locked=True)
    )
    if kinds is not None:
        query = query.where(Delivery.kind.in_(list(kinds)))
    if ids is not None:
        query = query.where(Delivery.id.in_(list(ids)))
    settled: list[Interrupted] = []
    for row in session.scalars(query):
        resend = row.kind not in at_most_once and row.attempts < MAX_ATTEMPTS
        row.lease_until = None
        if resend:
            row.status = DeliveryStatus.PLANNED
            row.due_at = min(row.due_at, now)
            row.last_error = RESENT_NOTE
        else:
            mark_uncertain(row)
        settled.append(Interrupted(row.id, row.kind, resend))
    if holder is not None:
        release_claims(session, holder=holder, ids=ids)
    session.flush()
    return settled


def release_claims(session: Session, *, holder: str, ids: Iterable[int] | None = None) -> int:
    """Hand back rows `holder` claimed but never started sending: planned, as if unclaimed."""
    query = select(Delivery).where(
        Delivery.status == DeliveryStatus.CLAIMED, Delivery.claimed_by == holder
    )
    if ids is not None:
        query = query.where(Delivery.id.in_(list(ids)))
    rows = list(session.scalars(query.with_for_update(skip_locked=True)))
    for row in rows:
        row.status = DeliveryStatus.PLANNED
        row.attempts = max(0, row.attempts - 1)
        row.lease_until = None
    return len(rows)


def mark_sending(session: Session, delivery_id: int, *, worker: str, lease_until: datetime) -> bool:
    """Record, in a commit of its own, that this worker is calling Slack for the row now,
    with its lease renewed for the call; False when the row is no longer this worker's to
    send (its lease ran out while it waited its turn and another worker took it).

    One conditional UPDATE, no row read: this runs once for every message sent."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.CLAIMED,
            Delivery.claimed_by == worker,
        )
        .values(status=DeliveryStatus.SENDING, lease_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1  # an UPDATE's result always has one


def mark_uncertain(delivery: Delivery, *, detail: str | None = None) -> None:
    """Slack may or may not have the message; it is never sent again, only reported."""
    delivery.status = DeliveryStatus.UNCERTAIN
    delivery.last_error = UNCERTAIN_REASON + (f" ({detail})" if detail else "")
    delivery.lease_until = None
