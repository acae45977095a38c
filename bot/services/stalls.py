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
from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.pairs import PairDetails, pair_details_many
from bot.services.rhythm import active_pair_ids, current_period
from models import CheckIn, MentoringSession
from models.enums import SessionStatus

NOTE_AFTER = 2  # periods without a held session before the pair gets a gentle note
ALERT_AFTER = 3  # ...and before the coordinators are told
NOTE, ALERT = "stall_note", "admin_stall_alert"  # delivery kinds


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
    current = current_period(pair, now)
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


def plan_stalls(session: Session, *, now: datetime) -> int:
    """One note per stall when it reaches NOTE_AFTER missed periods, one alert at ALERT_AFTER.

    The period is `since-<first missed period>`, so a stall is told once, and a new
    stall (after the pair met again) gets a key of its own.
    """
    ids = active_pair_ids(session)
    if not ids:
        return 0
    pairs = pair_details_many(session, ids)
    held = last_held(session, ids)
    rows: list[dict[str, object]] = []
    for pair in pairs.values():
        stall = stall_of(pair, held.get(pair.id), now)
        if stall is None:
            continue
        period = f"since-{stall.since}"
        base = {"workspace_id": pair.workspace_id, "pair_id": pair.id, "period": period}
        rows.append(
            base
            | {
                "kind": NOTE,
                "unique_key": delivery_key(NOTE, period=period, pair_id=pair.id),
                "due_at": now,
                "payload": {"missed": stall.missed, "period_key": stall.current.key},
            }
        )
        if stall.missed >= ALERT_AFTER:
            rows.append(
                base
                | {
                    "kind": ALERT,
                    "unique_key": delivery_key(ALERT, period=period, pair_id=pair.id),
                    "due_at": now,
                    "payload": {"missed": stall.missed},
                }
            )
    known = existing_keys(session, [str(row["unique_key"]) for row in rows])
    return plan_many(session, [row for row in rows if row["unique_key"] not in known], now=now)
