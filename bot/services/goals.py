"""Goals: 1–3 per person per pair, each with a measurable indicator and a target date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import NotAllowed, NotFound
from bot.services.goal_progress import ProgressView, latest_progress
from bot.services.pairs import PairDetails, pair_for_member, pairs_of_user
from models import Goal
from models.enums import GoalStatus

MAX_GOALS = 3


@dataclass(frozen=True)
class GoalDraft:
    text: str
    indicator: str
    target_on: date | None


@dataclass(frozen=True)
class GoalView:
    id: int
    owner_id: int
    text: str
    indicator: str
    target_on: date | None
    status: GoalStatus
    progress: ProgressView | None = None  # the latest step recorded against the indicator
    pair_id: int = 0


def _view(goal: Goal, progress: ProgressView | None = None) -> GoalView:
    return GoalView(
        goal.id,
        goal.owner_id,
        goal.text,
        goal.indicator,
        goal.target_on,
        goal.status,
        progress,
        goal.pair_id,
    )


def goals_of_pair(session: Session, *, pair_id: int) -> list[GoalView]:
    goals = list(
        session.scalars(
            select(Goal).where(Goal.pair_id == pair_id).order_by(Goal.owner_id, Goal.id)
        )
    )
    latest = latest_progress(session, goal_ids=[goal.id for goal in goals])
    return [_view(goal, latest.get(goal.id)) for goal in goals]


def goals_of_owner(
    session: Session, *, pair_id: int, owner_id: int, only_open: bool = False
) -> list[GoalView]:
    """One person's goals in one pair (all of them, or only the open ones)."""
    return [
        goal
        for goal in goals_of_pair(session, pair_id=pair_id)
        if goal.owner_id == owner_id and (goal.status == GoalStatus.OPEN or not only_open)
    ]


PairGoals = tuple[PairDetails, dict[str, list[GoalView]]]
"""A current pair and its goals by owner's Slack user id."""


def goals_by_pair(session: Session, *, workspace_id: int, user_id: str) -> list[PairGoals]:
    """Each current pair of the person, with everyone's goals in it (for `/mentor goals`)."""
    entries: list[PairGoals] = []
    for pair in pairs_of_user(session, workspace_id=workspace_id, user_id=user_id):
        owner_user = {p.participant_id: p.user_id for p in pair.people}
        by_user: dict[str, list[GoalView]] = defaultdict(list)
        for goal in goals_of_pair(session, pair_id=pair.id):
            by_user[owner_user.get(goal.owner_id, "")].append(goal)
        entries.append((pair, dict(by_user)))
    return entries


def set_goals(
    session: Session, *, pair_id: int, owner_id: int, drafts: list[GoalDraft]
) -> list[GoalView]:
    """Replace the owner's open goals with `drafts` (editing keeps ids in order)."""
    if not 1 <= len(drafts) <= MAX_GOALS:
        raise ValueError("between 1 and 3 goals")
    open_goals = list(
        session.scalars(
            select(Goal)
            .where(
                Goal.pair_id == pair_id, Goal.owner_id == owner_id, Goal.status == GoalStatus.OPEN
            )
            .order_by(Goal.id)
        )
    )
    for index, draft in enumerate(drafts):
        if index < len(open_goals):
            goal = open_goals[index]
        else:
            goal = Goal(pair_id=pair_id, owner_id=owner_id)
            session.add(goal)
        goal.text, goal.indicator, goal.target_on = draft.text, draft.indicator, draft.target_on
    for goal in open_goals[len(drafts) :]:
        session.delete(goal)
    session.flush()
    return [g for g in goals_of_pair(session, pair_id=pair_id) if g.owner_id == owner_id]


def change_status(
    session: Session, *, goal_id: int, owner_id: int, status: GoalStatus, now: datetime
) -> GoalView:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("That goal no longer exists.")
    if goal.owner_id != owner_id:
        raise NotAllowed("Only the goal's owner can change it.")
    goal.status = status
    goal.closed_at = None if status == GoalStatus.OPEN else now
    session.flush()
    return _view(goal)


def change_own_goal(
    session: Session, *, goal_id: int, user_id: str, status: GoalStatus, now: datetime
) -> GoalView:
    """Change a goal's status for the person pressing the menu, if the goal is theirs."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("That goal no longer exists.")
    _, person = pair_for_member(session, pair_id=goal.pair_id, user_id=user_id)
    return change_status(
        session, goal_id=goal_id, owner_id=person.participant_id, status=status, now=now
    )
