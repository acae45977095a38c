"""Progress against a goal's indicator: recorded by the goal's owner, read by the pair.

Notes are the pair's own: these functions serve the owner and their partner only
(checked through `pair_for_member`); nothing here is meant for coordinator views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import NotAllowed, NotFound
from bot.services.pairs import PairDetails, pair_for_member
from models import Goal, GoalProgress
from models.enums import GoalStatus

NOTE_MAX = 300


@dataclass(frozen=True)
class ProgressDraft:
    """What the owner typed: a percentage or a count (one of them), and an optional note."""

    percent: int | None
    amount: int | None
    note: str | None


@dataclass(frozen=True)
class ProgressView:
    goal_id: int
    percent: int | None
    amount: int | None
    note: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class OwnGoal:
    """A goal as its owner sees it when recording progress."""

    id: int
    pair: PairDetails
    text: str
    indicator: str
    latest: ProgressView | None


def _view(row: GoalProgress) -> ProgressView:
    return ProgressView(row.goal_id, row.percent, row.amount, row.note, row.recorded_at)


def latest_progress(session: Session, *, goal_ids: Iterable[int]) -> dict[int, ProgressView]:
    """The newest step of each goal (by time, then id)."""
    wanted = list(set(goal_ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(GoalProgress)
        .where(GoalProgress.goal_id.in_(wanted))
        .order_by(GoalProgress.recorded_at, GoalProgress.id)
    )
    return {row.goal_id: _view(row) for row in rows}


def own_open_goal(session: Session, *, goal_id: int, user_id: str) -> OwnGoal:
    """The goal, if the person is its owner and it is still open (else a typed refusal)."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("That goal no longer exists.")
    pair, person = pair_for_member(session, pair_id=goal.pair_id, user_id=user_id)
    if goal.owner_id != person.participant_id:
        raise NotAllowed("Only the goal's owner can record progress on it.")
    if goal.status != GoalStatus.OPEN:
        raise NotAllowed("That goal is closed. Reopen it in `/mentor goals` to record progress.")
    latest = latest_progress(session, goal_ids=[goal.id]).get(goal.id)
    return OwnGoal(goal.id, pair, goal.text, goal.indicator, latest)


def record_progress(
    session: Session, *, goal_id: int, user_id: str, draft: ProgressDraft, now: datetime
) -> OwnGoal:
    """Store one step (the owner's, on an open goal); the goal with it as its latest."""
    if (draft.percent is None) == (draft.amount is None):
        raise ValueError("a percentage or a count, exactly one")
    if draft.percent is not None and not 0 <= draft.percent <= 100:
        raise ValueError("percent out of range")
    if draft.amount is not None and draft.amount < 0:
        raise ValueError("negative count")
    if draft.note is not None and len(draft.note) > NOTE_MAX:
        raise ValueError("note too long")
    goal = own_open_goal(session, goal_id=goal_id, user_id=user_id)
    author = goal.pair.person(user_id)
    assert author is not None  # own_open_goal checked membership
    row = GoalProgress(
        goal_id=goal.id,
        author_id=author.participant_id,
        percent=draft.percent,
        amount=draft.amount,
        note=draft.note,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return OwnGoal(goal.id, goal.pair, goal.text, goal.indicator, _view(row))
