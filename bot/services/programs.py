"""Programs (cohorts): creation, listing, numbers and closing."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.idempotency import first_time
from models import Pair, Participant, Program
from models.enums import Cadence, PairStatus, ParticipantStatus, ProgramStatus


@dataclass(frozen=True)
class ProgramSettings:
    name: str
    starts_on: date
    length_weeks: int
    rotation_weeks: int
    cadence: Cadence
    session_minutes: int
    celebration_channel_id: str | None
    enrolment_deadline: date | None
    repeat_lookback_months: int = 6


@dataclass(frozen=True)
class ProgramSummary:
    id: int
    name: str
    status: ProgramStatus
    starts_on: date
    ends_on: date
    cadence: Cadence
    session_minutes: int
    rotation_weeks: int
    current_round: int
    next_rotation_on: date | None
    enrolment_deadline: date | None
    celebration_channel_id: str | None
    seniors: int
    juniors: int
    paused: int
    active_pairs: int
    retention_months: int = 12  # private texts deleted this long after closing
    private_texts_deleted_at: datetime | None = None


def ends_on(program: Program) -> date:
    return program.starts_on + timedelta(weeks=program.length_weeks)


def round_starts_on(program: Program, round_number: int) -> date:
    return program.starts_on + timedelta(weeks=program.rotation_weeks * (round_number - 1))


def next_rotation_on(program: Program) -> date | None:
    """When the current round ends and the next begins; None once the program is over."""
    if program.current_round < 1:
        return None
    candidate = round_starts_on(program, program.current_round + 1)
    return candidate if candidate < ends_on(program) else None


def name_taken(session: Session, *, workspace_id: int, name: str) -> bool:
    return (
        session.scalar(
            select(Program.id).where(
                Program.workspace_id == workspace_id, func.lower(Program.name) == name.lower()
            )
        )
        is not None
    )


def create_program(
    session: Session, *, workspace_id: int, settings: ProgramSettings, created_by: str
) -> Program:
    program = Program(workspace_id=workspace_id, created_by=created_by, **asdict(settings))
    session.add(program)
    session.flush()
    return program


class Creation(enum.StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"  # this form was handled before (a double or concurrent submission)
    NAME_TAKEN = "name-taken"


@dataclass(frozen=True)
class ProgramCreation:
    outcome: Creation
    program_id: int | None = None


class _NameTaken(Exception):
    """Undoes the savepoint, so the same form can be sent again with another name."""


def create_program_once(
    session: Session,
    *,
    workspace_id: int,
    settings: ProgramSettings,
    created_by: str,
    request_key: str,
) -> ProgramCreation:
    """Create the program unless this form was handled before or the name is taken.

    One savepoint holds the request key and the program: a taken name (seen now, or
    created concurrently) leaves no trace, so the coordinator can fix the name.
    """
    try:
        with session.begin_nested():
            if not first_time(session, key=request_key, kind="program-create"):
                return ProgramCreation(Creation.DUPLICATE)
            if name_taken(session, workspace_id=workspace_id, name=settings.name):
                raise _NameTaken
            program = create_program(
                session, workspace_id=workspace_id, settings=settings, created_by=created_by
            )
    except (_NameTaken, IntegrityError):
        return ProgramCreation(Creation.NAME_TAKEN)
    return ProgramCreation(Creation.CREATED, program.id)


def program_summary(
    session: Session, *, program_id: int, workspace_id: int
) -> ProgramSummary | None:
    """The program's summary as it is now; None when it is not this workspace's."""
    program = session.get(Program, program_id)
    if program is None or program.workspace_id != workspace_id:
        return None
    return summarize(session, program)


def program_name(session: Session, *, program_id: int) -> str | None:
    return session.scalar(select(Program.name).where(Program.id == program_id))


def find_program(
    session: Session, *, workspace_id: int, name: str | None, include_closed: bool = False
) -> Program:
    """By name (case-insensitive); without a name, the only open program."""
    query = select(Program).where(Program.workspace_id == workspace_id)
    if not include_closed:
        query = query.where(Program.status != ProgramStatus.CLOSED)
    if name:
        program = session.scalar(query.where(func.lower(Program.name) == name.strip().lower()))
        if program is None:
            raise NotFound(
                f"There is no program called “{name[:80]}”. Try `/mentor admin program list`."
            )
        return program
    programs = list(session.scalars(query.order_by(Program.id)))
    if len(programs) == 1:
        return programs[0]
    if not programs:
        raise NotFound(
            "There is no open program yet. Create one with `/mentor admin program create`."
        )
    names = ", ".join(f"`{p.name}`" for p in programs[:10])
    raise NotFound(f"Several programs are open ({names}); add the program's name to the command.")


def summarize(session: Session, program: Program) -> ProgramSummary:
    counts = Counter(
        (role, status)
        for role, status in session.execute(
            select(Participant.role, Participant.status).where(Participant.program_id == program.id)
        )
    )
    active_pairs = session.scalar(
        select(func.count())
        .select_from(Pair)
        .where(Pair.program_id == program.id, Pair.status == PairStatus.ACTIVE)
    )
    return ProgramSummary(
        id=program.id,
        name=program.name,
        status=program.status,
        starts_on=program.starts_on,
        ends_on=ends_on(program),
        cadence=program.cadence,
        session_minutes=program.session_minutes,
        rotation_weeks=program.rotation_weeks,
        current_round=program.current_round,
        next_rotation_on=next_rotation_on(program),
        enrolment_deadline=program.enrolment_deadline,
        celebration_channel_id=program.celebration_channel_id,
        seniors=sum(
            n
            for (role, st), n in counts.items()
            if role == "senior" and st == ParticipantStatus.ACTIVE
        ),
        juniors=sum(
            n
            for (role, st), n in counts.items()
            if role == "junior" and st == ParticipantStatus.ACTIVE
        ),
        paused=sum(n for (_, st), n in counts.items() if st == ParticipantStatus.PAUSED),
        active_pairs=active_pairs or 0,
        retention_months=program.retention_months,
        private_texts_deleted_at=program.private_texts_deleted_at,
    )


def list_programs(session: Session, *, workspace_id: int) -> list[ProgramSummary]:
    programs = session.scalars(
        select(Program)
        .where(Program.workspace_id == workspace_id)
        .order_by(Program.starts_on.desc(), Program.id)
    )
    return [summarize(session, program) for program in programs]


def close_program(session: Session, *, program_id: int, workspace_id: int, now: datetime) -> bool:
    """Close the program and end its pairs; False when it was already closed (a second click)."""
    program = session.get(Program, program_id, with_for_update=True)
    if program is None or program.workspace_id != workspace_id:
        raise NotFound()
    if program.status == ProgramStatus.CLOSED:
        return False
    program.status = ProgramStatus.CLOSED
    program.closed_at = now
    for pair in session.scalars(
        select(Pair).where(
            Pair.program_id == program.id,
            Pair.status.in_([PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.PROPOSED]),
        )
    ):
        if pair.status == PairStatus.PROPOSED:
            session.delete(pair)
        else:
            pair.status = PairStatus.ENDED
            pair.ended_at = now
            pair.status_reason = "program closed"
    return True
