"""Where a confirmed round's messages stand: what pressing Confirm again continues.

Confirming commits the round (pairs active, intros and farewells planned) before anything
is sent; if the sending stops halfway (the process dies, the database goes away), the
round is confirmed but not fully introduced. These are the numbers that tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from models import Delivery, MatchRun, Pair
from models.enums import DeliveryStatus, PairStatus

INTRO, FAREWELL = "pair_intro", "pair_farewell"
UNSETTLED = (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING)
HELD = (DeliveryStatus.CLAIMED, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class RoundMessages:
    """The intros of a confirmed round's pairs and the farewells of the pairs it ended."""

    intros: int  # one per pair the round started
    farewells: int  # one per pair the round ended
    sent: int
    left: int  # planned, claimed or being sent: not settled yet
    busy_until: datetime | None  # the latest live lease another worker holds on one of them


def round_messages(session: Session, *, run_id: int, worker: str, now: datetime) -> RoundMessages:
    """Count the round's messages by status; `worker` is the caller's own name (its claims
    are not someone else's work in progress)."""
    run = session.get(MatchRun, run_id)
    if run is None:
        return RoundMessages(0, 0, 0, 0, None)
    started = select(Pair.id).where(Pair.match_run_id == run.id)
    ended = select(Pair.id).where(
        Pair.program_id == run.program_id,
        Pair.round < run.round,
        Pair.status == PairStatus.ENDED,
        Pair.ended_at == run.decided_at,
    )
    rows = session.execute(
        select(Delivery.kind, Delivery.status, Delivery.claimed_by, Delivery.lease_until).where(
            or_(
                and_(Delivery.kind == INTRO, Delivery.pair_id.in_(started)),
                and_(Delivery.kind == FAREWELL, Delivery.pair_id.in_(ended)),
            )
        )
    ).all()
    intros = sum(1 for kind, *_ in rows if kind == INTRO)
    busy = [
        lease
        for _, status, holder, lease in rows
        if status in HELD and holder != worker and lease is not None and lease >= now
    ]
    return RoundMessages(
        intros=intros,
        farewells=len(rows) - intros,
        sent=sum(1 for _, status, _, _ in rows if status == DeliveryStatus.SENT),
        left=sum(1 for _, status, _, _ in rows if status in UNSETTLED),
        busy_until=max(busy, default=None),
    )
