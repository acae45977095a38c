"""A participant's own record for a period (`/mentor record`): sessions, minutes, goals,
action items done, and only the learnings they ticked.

Every read starts from a participant id checked against the caller's Slack id, so
nobody can build another person's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotAllowed, NotFound
from models import ActionItem, Goal, Learning, Member, MentoringSession, Pair, Participant, Program
from models.enums import ActionStatus, SessionStatus

LEARNINGS_OFFERED = 80  # 8 checkbox groups of 10: the modal stays far below 100 blocks


@dataclass(frozen=True)
class LearningChoice:
    id: int
    on: date
    text: str


@dataclass(frozen=True)
class RecordSetup:
    participant_id: int
    program: str
    starts_on: date
    learnings: list[LearningChoice]
    more_learnings: int  # older ones not offered


@dataclass(frozen=True)
class GoalLine:
    text: str
    indicator: str
    status: str
    target_on: date | None


@dataclass(frozen=True)
class RecordFacts:
    program: str
    role: str
    start: date
    end: date
    sessions_held: int
    minutes: int
    goals: list[GoalLine]
    actions_done: list[tuple[str, date | None]]
    learnings: list[tuple[date, str]]


def _mine(
    session: Session, *, workspace_id: int, user_id: str
) -> list[tuple[Participant, Program]]:
    rows = session.execute(
        select(Participant, Program)
        .join(Program, Program.id == Participant.program_id)
        .join(Member, Member.id == Participant.member_id)
        .where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
        .order_by(Program.starts_on.desc(), Program.id.desc())
    ).all()
    return [(p, prog) for p, prog in rows]


def record_setup(
    session: Session, *, workspace_id: int, user_id: str, name: str | None
) -> RecordSetup:
    """The program the record is for (by name, or the only one) and the learnings to offer."""
    mine = _mine(session, workspace_id=workspace_id, user_id=user_id)
    if not mine:
        raise NotFound("You haven't taken part in a program yet, so there is no record to build.")
    if name:
        wanted = name.strip().lower()
        mine = [(p, prog) for p, prog in mine if prog.name.lower() == wanted]
        if not mine:
            raise NotFound(f"You haven't taken part in a program called “{name[:80]}”.")
    if len(mine) > 1:
        names = ", ".join(f"`{prog.name}`" for _, prog in mine[:10])
        raise InvalidInput(
            f"You've taken part in several programs ({names}); add the program's name, "
            "e.g. `/mentor record NAME`."
        )
    participant, program = mine[0]
    entries = list(
        session.scalars(
            select(Learning)
            .where(Learning.participant_id == participant.id, Learning.text != "")
            .order_by(Learning.created_at.desc(), Learning.id.desc())
        )
    )
    return RecordSetup(
        participant.id,
        program.name,
        program.starts_on,
        [LearningChoice(e.id, e.created_at.date(), e.text) for e in entries[:LEARNINGS_OFFERED]],
        max(0, len(entries) - LEARNINGS_OFFERED),
    )


def record_owner(session: Session, *, participant_id: int) -> str | None:
    return session.scalar(
        select(Member.slack_user_id)
        .join(Participant, Participant.member_id == Member.id)
        .where(Participant.id == participant_id)
    )


def check_owner(session: Session, *, participant_id: int, workspace_id: int, user_id: str) -> None:
    """Only the participant themself may build their record."""
    owner = session.scalar(
        select(Member.slack_user_id)
        .join(Participant, Participant.member_id == Member.id)
        .where(Participant.id == participant_id, Member.workspace_id == workspace_id)
    )
    if owner != user_id:
        raise NotAllowed("Only the person a record is about can build it, so nothing was sent.")


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time(), tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
    )


def record_facts(
    session: Session, *, participant_id: int, start: date, end: date, learning_ids: list[int]
) -> RecordFacts:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("That enrolment no longer exists.")
    program = session.get(Program, participant.program_id)
    assert program is not None
    low, high = _bounds(start, end)
    me = participant.id
    pair_ids = select(Pair.id).where(
        or_(Pair.senior_id == me, Pair.junior_id == me, Pair.third_id == me)
    )
    held, minutes = session.execute(
        select(
            func.count(MentoringSession.id),
            func.coalesce(
                func.sum(func.coalesce(MentoringSession.minutes, program.session_minutes)), 0
            ),
        ).where(
            MentoringSession.pair_id.in_(pair_ids),
            MentoringSession.status == SessionStatus.HELD,
            MentoringSession.held_at >= low,
            MentoringSession.held_at < high,
        )
    ).one()
    goals = session.scalars(
        select(Goal)
        .where(Goal.owner_id == me, Goal.created_at < high)
        .where(or_(Goal.closed_at.is_(None), Goal.closed_at >= low))
        .order_by(Goal.id)
    )
    actions = session.scalars(
        select(ActionItem)
        .where(ActionItem.owner_id == me, ActionItem.status == ActionStatus.DONE)
        .where(ActionItem.completed_at >= low, ActionItem.completed_at < high)
        .order_by(ActionItem.completed_at, ActionItem.id)
    )
    ticked = session.scalars(
        select(Learning)
        .where(Learning.participant_id == me, Learning.id.in_(learning_ids or [0]))
        .order_by(Learning.created_at, Learning.id)
    )
    return RecordFacts(
        program=program.name,
        role=participant.role.value,
        start=start,
        end=end,
        sessions_held=int(held),
        minutes=int(minutes),
        goals=[GoalLine(g.text, g.indicator, g.status.value, g.target_on) for g in goals if g.text],
        actions_done=[
            (a.text, a.completed_at.date() if a.completed_at else None) for a in actions if a.text
        ],
        learnings=[(e.created_at.date(), e.text) for e in ticked if e.text],
    )
