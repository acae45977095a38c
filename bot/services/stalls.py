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
from bot.services.deliveries import delivery_key, existing_keys, plan_many, record_sent
from bot.services.pairs import PairDetails, pair_details_many
from bot.services.rhythm import active_pair_ids, current_period
from models import CheckIn, Delivery, MentoringSession
from models.enums import DeliveryStatus, SessionStatus

NOTE_AFTER = 2  # periods without a held session before the pair gets a gentle note
ALERT_AFTER = 3  # ...and before the coordinators are told
NOTE, ALERT = "stall_note", "admin_stall_alert"  # delivery kinds
DIGEST = "admin_stall_digest"  # the alerts of one tick, gathered into one message
DIGEST_PAGE = 40  # pairs per digest message: one block each, under Block Kit's 50
IN_DIGEST = "waiting for the coordinators' stall digest"  # marked sent with it


@dataclass(frozen=True)
class Stall:
    pair_id: int
    missed: int  # whole periods since the last held session (or since the start)
    since: str  # key of the first missed period: identifies this stall
    current: Period


def stall_of(pair: PairDetails, last_held: datetime | None, now: datetime) -> Stall | None:
    """The pair's stall as of `now`, if at least NOTE_AFTER whole periods were missed."""
    stall = missed_periods(pair, last_held, now)
    return stall if stall.missed >= NOTE_AFTER else None


def missed_periods(pair: PairDetails, last_held: datetime | None, now: datetime) -> Stall:
    """Whole periods missed as of `now` (0 for a pair on track): program health reads it."""
    assert pair.started_at is not None
    anchor = pair.started_at.date()
    current = current_period(pair, now)
    if last_held is None:
        first_missed = period_of(pair.cadence, anchor=anchor, on=anchor)
    else:
        held_in = period_of(pair.cadence, anchor=anchor, on=max(last_held.date(), anchor))
        first_missed = period_of(pair.cadence, anchor=anchor, on=held_in.ends_on)
    missed = max(0, current.index - first_missed.index)
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
    stall (after the pair met again) gets a key of its own. The coordinators' alerts of one
    tick are gathered into one digest per workspace (pages of DIGEST_PAGE pairs): each
    pair keeps its alert row, stored as already told, so that it is never told again.
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
                    "status": DeliveryStatus.CANCELLED,
                    "last_error": IN_DIGEST,
                    "payload": {"missed": stall.missed},
                }
            )
    known = existing_keys(session, [str(row["unique_key"]) for row in rows])
    fresh = [row for row in rows if row["unique_key"] not in known]
    alerts = [row for row in fresh if row["kind"] == ALERT]
    return plan_many(session, fresh + digest_rows(alerts, now), now=now) - len(alerts)


def digest_rows(alerts: list[dict[str, object]], now: datetime) -> list[dict[str, object]]:
    """The digest rows for this tick's new alerts: one per workspace and page."""
    by_workspace: dict[int, list[dict[str, object]]] = {}
    for row in sorted(alerts, key=lambda r: int(str(r["pair_id"]))):
        by_workspace.setdefault(int(str(row["workspace_id"])), []).append(row)
    digests: list[dict[str, object]] = []
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for workspace_id, found in by_workspace.items():
        pages = [found[i : i + DIGEST_PAGE] for i in range(0, len(found), DIGEST_PAGE)]
        for number, page in enumerate(pages, start=1):
            period = f"{stamp}-{number}"
            digests.append(
                {
                    "workspace_id": workspace_id,
                    "kind": DIGEST,
                    "period": period,
                    "unique_key": f"workspace:{workspace_id}:{DIGEST}:{period}",
                    "due_at": now,
                    "payload": {
                        "stalls": [
                            [row["pair_id"], dict(row["payload"])["missed"], row["period"]]  # type: ignore[call-overload]
                            for row in page
                        ],
                        "page": number,
                        "pages": len(pages),
                        "total": len(found),
                    },
                }
            )
    return digests


def mark_alerts_told(
    session: Session,
    *,
    alerts: list[tuple[int, str]],
    channel: str,
    ts: str,
    now: datetime,
) -> None:
    """The digest went out: each (pair, period) alert it carried is sent, in that message."""
    keys = [delivery_key(ALERT, period=period, pair_id=pair_id) for pair_id, period in alerts]
    for delivery_id in session.scalars(select(Delivery.id).where(Delivery.unique_key.in_(keys))):
        record_sent(session, delivery_id, channel=channel, ts=ts, now=now)
