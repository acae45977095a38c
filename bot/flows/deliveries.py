"""`twoway deliveries`: what the scheduler planned, sent and failed to send, with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.runtime import Runtime
from bot.services.deliveries import count_by_status, list_deliveries
from models.enums import DeliveryStatus


@dataclass(frozen=True)
class DeliveryLine:
    id: int
    status: str
    due_at: datetime
    kind: str
    key: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class DeliveryListing:
    counts: dict[str, int]
    lines: list[DeliveryLine]


def delivery_listing(
    runtime: Runtime, *, status: DeliveryStatus | None, limit: int
) -> DeliveryListing:
    with runtime.unit_of_work() as session:
        counts = count_by_status(session)
        lines = [
            DeliveryLine(
                row.id,
                row.status.value,
                row.due_at,
                row.kind,
                row.unique_key,
                row.attempts,
                row.last_error,
            )
            for row in list_deliveries(session, status=status, limit=limit)
        ]
    return DeliveryListing(counts=counts, lines=lines)
