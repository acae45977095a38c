"""Whether a pair has had a session nudge yet, so `/mentor next` never points at a missing one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services.rhythm import NUDGE
from models import Delivery
from models.enums import DeliveryStatus


def nudge_states(
    session: Session, pair_ids: Iterable[int]
) -> dict[int, tuple[bool, datetime | None]]:
    """Per pair: (a nudge reached the pair, when the next planned one is due)."""
    ids = list(pair_ids)
    states: dict[int, tuple[bool, datetime | None]] = dict.fromkeys(ids, (False, None))
    if not ids:
        return states
    sent = set(
        session.scalars(
            select(Delivery.pair_id)
            .where(
                Delivery.pair_id.in_(ids),
                Delivery.kind == NUDGE,
                Delivery.status == DeliveryStatus.SENT,
            )
            .distinct()
        )
    )
    upcoming: dict[int, datetime] = {}
    for pair_id, due in session.execute(
        select(Delivery.pair_id, func.min(Delivery.due_at))
        .where(
            Delivery.pair_id.in_(ids),
            Delivery.kind == NUDGE,
            Delivery.status == DeliveryStatus.PLANNED,
        )
        .group_by(Delivery.pair_id)
    ):
        upcoming[pair_id] = due
    for pair_id in ids:
        states[pair_id] = (pair_id in sent, upcoming.get(pair_id))
    return states
