"""What the App Home shows a person: their enrolments, pairs and programs open to join."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.services.pairs import PairDetails, pairs_of_user
from models import Member, Participant, Program
from models.enums import ParticipantStatus, ProgramStatus, Role


@dataclass(frozen=True)
class Enrolment:
    program_name: str
    role: Role
    status: ParticipantStatus


@dataclass(frozen=True)
class HomeStatus:
    enrolments: list[Enrolment]
    pairs: list[PairDetails]
    open_programs: list[str]


def home_status(session: Session, *, workspace_id: int, user_id: str, today: date) -> HomeStatus:
    rows = session.execute(
        select(Program.name, Participant.role, Participant.status)
        .join(Participant, Participant.program_id == Program.id)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
            Program.status != ProgramStatus.CLOSED,
        )
        .order_by(Program.starts_on)
    ).all()
    enrolments = [Enrolment(name, role, status) for name, role, status in rows]
    joined = {e.program_name for e in enrolments}
    open_programs = [
        name
        for name in session.scalars(
            select(Program.name).where(
                Program.workspace_id == workspace_id,
                Program.status.in_([ProgramStatus.ENROLLING, ProgramStatus.ACTIVE]),
                or_(Program.enrolment_deadline.is_(None), Program.enrolment_deadline >= today),
            )
        )
        if name not in joined
    ]
    return HomeStatus(
        enrolments,
        pairs_of_user(session, workspace_id=workspace_id, user_id=user_id),
        open_programs,
    )
