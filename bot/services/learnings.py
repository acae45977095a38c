"""The learning log: private to its author unless shared with the pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from models import Learning, Member, Pair, Participant, Program
from models.enums import Visibility


def add_learning(
    session: Session,
    *,
    participant_id: int,
    text: str,
    pair_id: int | None = None,
    session_id: int | None = None,
    visibility: Visibility = Visibility.PRIVATE,
) -> Learning:
    learning = Learning(
        participant_id=participant_id,
        pair_id=pair_id,
        session_id=session_id,
        text=text,
        visibility=visibility,
    )
    session.add(learning)
    session.flush()
    return learning


@dataclass(frozen=True)
class LearningEntry:
    id: int
    created_at: datetime
    text: str
    visibility: Visibility
    program_name: str
    author_user_id: str
    mine: bool


def _participant_ids(workspace_id: int, user_id: str) -> Select[tuple[int]]:
    return (
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
    )


def learning_log(
    session: Session, *, workspace_id: int, user_id: str, offset: int, limit: int
) -> tuple[list[LearningEntry], int]:
    """My entries and those my partners shared with our pair, newest first, plus the total."""
    mine = _participant_ids(workspace_id, user_id)
    my_pairs = select(Pair.id).where(
        or_(Pair.senior_id.in_(mine), Pair.junior_id.in_(mine), Pair.third_id.in_(mine))
    )
    condition = or_(
        Learning.participant_id.in_(mine),
        (Learning.visibility == Visibility.PAIR) & Learning.pair_id.in_(my_pairs),
    )
    total = session.scalar(select(func.count()).select_from(Learning).where(condition)) or 0
    rows = session.execute(
        select(Learning, Member.slack_user_id, Program.name)
        .join(Participant, Participant.id == Learning.participant_id)
        .join(Member, Member.id == Participant.member_id)
        .join(Program, Program.id == Participant.program_id)
        .where(condition)
        .order_by(Learning.created_at.desc(), Learning.id.desc())
        .offset(offset)
        .limit(limit)
    )
    entries = [
        LearningEntry(
            id=learning.id,
            created_at=learning.created_at,
            text=learning.text,
            visibility=learning.visibility,
            program_name=program_name,
            author_user_id=author,
            mine=author == user_id,
        )
        for learning, author, program_name in rows
    ]
    return entries, total


def latest_participant_id(session: Session, *, workspace_id: int, user_id: str) -> int | None:
    """The person's most recent enrolment: where an entry not tied to a pair is kept."""
    return session.scalar(
        _participant_ids(workspace_id, user_id).order_by(Participant.id.desc()).limit(1)
    )
