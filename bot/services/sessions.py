"""Sessions of a pair: planned from a picked slot, held, skipped (who skipped is kept)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import MentoringSession
from models.enums import SessionStatus


@dataclass(frozen=True)
class SessionView:
    id: int
    pair_id: int
    status: SessionStatus
    scheduled_at: datetime | None
    held_at: datetime | None
    minutes: int | None
    cancelled_by_id: int | None = None  # the participant who skipped, for a skipped one


def _view(row: MentoringSession) -> SessionView:
    return SessionView(
        row.id,
        row.pair_id,
        row.status,
        row.scheduled_at,
        row.held_at,
        row.minutes,
        row.cancelled_by_id,
    )


def plan_session(session: Session, *, pair_id: int, start: datetime, minutes: int) -> SessionView:
    row = MentoringSession(
        pair_id=pair_id,
        status=SessionStatus.PLANNED,
        scheduled_at=start,
        minutes=minutes,
        source="slot",
    )
    session.add(row)
    session.flush()
    return _view(row)


def record_held(
    session: Session, *, pair_id: int, held_at: datetime, minutes: int, source: str
) -> SessionView:
    """A session that took place; a planned one in the same period becomes held instead."""
    row = session.scalar(
        select(MentoringSession)
        .where(
            MentoringSession.pair_id == pair_id,
            MentoringSession.status == SessionStatus.PLANNED,
            MentoringSession.scheduled_at <= held_at,
        )
        .order_by(MentoringSession.scheduled_at.desc())
        .limit(1)
    )
    if row is None:
        row = MentoringSession(pair_id=pair_id, source=source)
        session.add(row)
    row.status = SessionStatus.HELD
    row.held_at = held_at
    row.minutes = minutes
    session.flush()
    return _view(row)


def record_skip(
    session: Session, *, pair_id: int, by_participant_id: int, reason: str, at: datetime
) -> SessionView:
    row = MentoringSession(
        pair_id=pair_id,
        status=SessionStatus.SKIPPED,
        cancelled_by_id=by_participant_id,
        reason=reason,
        scheduled_at=at,
        source="nudge",
    )
    session.add(row)
    session.flush()
    return _view(row)


def next_planned(session: Session, *, pair_id: int, after: datetime) -> SessionView | None:
    row = session.scalar(
        select(MentoringSession)
        .where(
            MentoringSession.pair_id == pair_id,
            MentoringSession.status == SessionStatus.PLANNED,
            MentoringSession.scheduled_at >= after,
        )
        .order_by(MentoringSession.scheduled_at)
        .limit(1)
    )
    return _view(row) if row else None


def session_of(session: Session, *, session_id: int) -> SessionView | None:
    """One session as it is now (renderers check it at send time)."""
    row = session.get(MentoringSession, session_id)
    return _view(row) if row else None


def planned_times(
    session: Session, pair_ids: Iterable[int], *, since: datetime
) -> dict[int, list[datetime]]:
    """Start times of planned sessions per pair, from `since` on, earliest first."""
    ids = list(pair_ids)
    found: dict[int, list[datetime]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(MentoringSession.pair_id, MentoringSession.scheduled_at)
        .where(
            MentoringSession.pair_id.in_(ids),
            MentoringSession.status == SessionStatus.PLANNED,
            MentoringSession.scheduled_at >= since,
        )
        .order_by(MentoringSession.scheduled_at)
    )
    for pair_id, scheduled_at in rows:
        found[pair_id].append(scheduled_at)
    return found
