"""Planned messages whose moment has passed: cancelled with a reason instead of flushed.

After an outage (a revoked token, a stopped scheduler) or a pause, rows planned long ago
come due all at once; a nudge for a week that is over or an agenda for a session that
was held helps no one. Each kind says how late it is still worth sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Delivery
from models.enums import DeliveryStatus

CHUNK = 500  # ids per statement, well under either database's parameter limit


def _span(limit: timedelta) -> str:
    hours = int(limit.total_seconds() // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day" + ("s" if days != 1 else "")
    return f"{hours} hour" + ("s" if hours != 1 else "")


def too_late_reason(kind: str, limit: timedelta) -> str:
    article = "an" if kind[:1] in "aeiou" else "a"
    return f"too late: {article} {kind} is worth sending only within {_span(limit)} of its time"


def cancel_too_late(
    session: Session, *, now: datetime, limits: Mapping[str, timedelta | None]
) -> dict[str, int]:
    """Cancel planned rows due longer ago than their kind's limit (None: always worth
    sending); how many per kind. Rows claimed by a worker are left to it."""
    limited = {kind: limit for kind, limit in limits.items() if limit is not None}
    if not limited:
        return {}
    oldest_worth = now - min(limited.values())
    candidates = session.execute(
        select(Delivery.id, Delivery.kind, Delivery.due_at).where(
            Delivery.status == DeliveryStatus.PLANNED,
            Delivery.due_at < oldest_worth,
            Delivery.kind.in_(list(limited)),
        )
    ).all()
    by_kind: dict[str, list[int]] = {}
    for delivery_id, kind, due_at in candidates:
        if due_at < now - limited[kind]:
            by_kind.setdefault(kind, []).append(delivery_id)
    counts: dict[str, int] = {}
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), CHUNK):
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_(ids[start : start + CHUNK]),
                    Delivery.status == DeliveryStatus.PLANNED,
                )
                .values(
                    status=DeliveryStatus.CANCELLED,
                    last_error=too_late_reason(kind, limited[kind]),
                    lease_until=None,
                )
                .execution_options(synchronize_session=False)
            )
            counts[kind] = counts.get(kind, 0) + (result.rowcount or 0)
    return counts
