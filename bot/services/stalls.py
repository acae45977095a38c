"""Pairs that stopped meeting: how many cadence periods went by without a held session.

A stall is identified by the first period after the last held session, so each stall
gets one gentle note and at most one coordinator alert, never more.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.rhythm import Period, period_of
from bot.services.pairs import PairDetails
from models import CheckIn, MentoringSession
from models.enums import SessionStatus

NOTE_AFTER = 2  # periods without a held session before the pair gets a gentle note
ALERT_AFTER = 3  # ...and before the coordinators are told


@dataclass(frozen=True)
class Stall:
    pair_id: int
    missed: int  # whole periods since the last held session (or since the start)
    since: str  # key of the first missed period: identifies this stall
    current: Period


def stall_of(pair: PairDetails, last_held: datetime | None, now: datetime) -> Stall | None:
    """The pair's stall as of `now`, if at least NOTE_AFTER whole periods were missed."""
    assert pair.started_at is not None
    anchor = pair.started_at.date()
    current = period_of(pair.cadence, anchor=anchor, on=max(now.date(), anchor))
    if last_held is None:
        first_missed = period_of(pair.cadence, anchor=anchor, on=anchor)
    else:
        held_in = period_of(pair.cadence, anchor=anchor, on=max(last_held.date(), anchor))
        first_missed = period_of(pair.cadence, anchor=anchor, on=held_in.ends_on)
    missed = current.index - first_missed.index
    if missed < NOTE_AFTER:
        return None
    return Stall(pair.id, missed, first_missed.key, current)


def last_held(session: Session, pair_ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(MentoringSession.pair_id, func.max(MentoringSession.held_at))
        .where(
            MentoringSession.pair_id.in_(pair_ids), MentoringSession.status == SessionStatus.HELD
        )
        .group_by(MentoringSession.pair_id)
    )
    return {pair_id: held for pair_id, held in rows if held is not None}


def skips_by_person(session: Session, pair_ids: list[int]) -> dict[int, Counter[int]]:
    """Skipped sessions per pair, counted per person who skipped (seniors who keep
    cancelling are the known pitfall of reverse mentoring)."""
    counts: dict[int, Counter[int]] = {}
    rows = session.execute(
        select(MentoringSession.pair_id, MentoringSession.cancelled_by_id, func.count())
        .where(
            MentoringSession.pair_id.in_(pair_ids), MentoringSession.status == SessionStatus.SKIPPED
        )
        .group_by(MentoringSession.pair_id, MentoringSession.cancelled_by_id)
    )
    for pair_id, participant_id, count in rows:
        counts.setdefault(pair_id, Counter())[participant_id] += count
    return counts


def last_answered(session: Session, pair_ids: list[int]) -> dict[int, int]:
    """Per pair, the participant who last answered anything (a check-in, or a skip)."""
    latest: dict[int, tuple[datetime, int]] = {}
    checkins = session.execute(
        select(MentoringSession.pair_id, CheckIn.participant_id, CheckIn.created_at)
        .join(MentoringSession, MentoringSession.id == CheckIn.session_id)
        .where(MentoringSession.pair_id.in_(pair_ids))
    )
    skips = session.execute(
        select(
            MentoringSession.pair_id, MentoringSession.cancelled_by_id, MentoringSession.created_at
        ).where(
            MentoringSession.pair_id.in_(pair_ids), MentoringSession.cancelled_by_id.is_not(None)
        )
    )
    for pair_id, participant_id, at in [*checkins, *skips]:
        if pair_id not in latest or at > latest[pair_id][0]:
            latest[pair_id] = (at, participant_id)
    return {pair_id: participant for pair_id, (_, participant) in latest.items()}
