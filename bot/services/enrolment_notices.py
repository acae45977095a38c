"""What enrolment's outbox messages read at send time: state as it is then, not when planned.

Deliveries hold ids; these reads turn them into the facts a renderer checks (did the
person leave meanwhile? is the program closed?) and the words it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.enrolment import LEFT, ProfileAnswers, ProgramRef, answers_of, program_ref
from models import Member, Participant, Program
from models.enums import ParticipantStatus, ProgramStatus


@dataclass(frozen=True)
class Confirmation:
    """An enrolment as it stands, for the DM confirming it."""

    user_id: str
    program: ProgramRef
    answers: ProfileAnswers
    timezone: str
    status: ParticipantStatus
    program_closed: bool
    member_deleted: bool


@dataclass(frozen=True)
class RefusalFacts:
    program_name: str | None  # None: the program no longer exists
    enrolled: bool  # the person is in the program now (a later submission went through)


@dataclass(frozen=True)
class PartnerFacts:
    user_id: str
    member_deleted: bool
    programs: tuple[str, ...]  # where the partner still takes part (not left, not closed)


def confirmation_of(session: Session, *, participant_id: int) -> Confirmation | None:
    row = session.execute(
        select(Participant, Program, Member)
        .join(Program, Program.id == Participant.program_id)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.id == participant_id)
    ).first()
    if row is None:
        return None
    participant, program, member = row
    return Confirmation(
        user_id=member.slack_user_id,
        program=program_ref(program, participant),
        answers=answers_of(participant),
        timezone=member.timezone or "UTC",
        status=participant.status,
        program_closed=program.status == ProgramStatus.CLOSED,
        member_deleted=member.is_deleted,
    )


def refusal_facts(
    session: Session, *, workspace_id: int, user_id: str, program_id: int
) -> RefusalFacts:
    program = session.get(Program, program_id)
    if program is None or program.workspace_id != workspace_id:
        return RefusalFacts(None, enrolled=False)
    status = session.scalar(
        select(Participant.status)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Participant.program_id == program_id,
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
        )
    )
    enrolled = status is not None and status != LEFT and program.status != ProgramStatus.CLOSED
    return RefusalFacts(program.name, enrolled)


def partner_facts(session: Session, *, participant_ids: list[int]) -> PartnerFacts | None:
    """The partner of the given participations (all one person's), as things stand now."""
    rows = session.execute(
        select(Member.slack_user_id, Member.is_deleted, Program.name, Participant.status)
        .select_from(Participant)
        .join(Member, Member.id == Participant.member_id)
        .join(Program, Program.id == Participant.program_id)
        .where(Participant.id.in_(participant_ids), Program.status != ProgramStatus.CLOSED)
        .order_by(Program.name, Participant.id)
    ).all()
    if not rows:
        return None
    user_id, deleted = rows[0][0], rows[0][1]
    names = dict.fromkeys(name for _, _, name, status in rows if status != LEFT)
    return PartnerFacts(user_id, bool(deleted), tuple(names))
