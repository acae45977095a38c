"""What an impact report or an export reads: counts, dates, statuses and Likert scores.

The queries select columns one by one and never a text a person wrote (feedback,
learnings, reflections, skip reasons, goal or action texts): what is not read cannot leak
into a report, a CSV or a log line. Everything is returned as plain dataclasses so the
figures (`bot/reports`) are computed without a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.programs import find_program
from bot.services.surveys import QUESTIONS
from models import (
    ActionItem,
    Goal,
    Learning,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Survey,
    SurveyResponse,
)
from models.enums import PairStatus


@dataclass(frozen=True)
class ProgramFacts:
    id: int
    workspace_id: int
    name: str
    status: str
    starts_on: date
    length_weeks: int
    cadence: str
    session_minutes: int


@dataclass(frozen=True)
class PersonRow:
    id: int
    role: str
    department: str
    status: str


@dataclass(frozen=True)
class PairRow:
    id: int
    round: int
    senior_id: int
    junior_id: int
    third_id: int | None
    status: str
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    pair_id: int
    status: str
    at: datetime  # held, else scheduled, else recorded
    minutes: int | None
    cancelled_by_id: int | None


@dataclass(frozen=True)
class StatusCount:
    owner_id: int
    pair_id: int | None
    status: str
    count: int


@dataclass(frozen=True)
class SurveyAnswer:
    participant_id: int
    kind: str
    period: str
    opens_at: datetime
    scores: dict[str, int]  # question key -> 1..5; nothing else of the response


@dataclass(frozen=True)
class ReportInputs:
    program: ProgramFacts
    people: list[PersonRow]
    pairs: list[PairRow]
    sessions: list[SessionRow]
    learnings: list[tuple[int, datetime]]  # (participant, written at): never the text
    goals: list[StatusCount]
    actions: list[StatusCount]
    answers: list[SurveyAnswer]


def program_for_report(session: Session, *, workspace_id: int, name: str | None) -> ProgramFacts:
    """The named program (closed ones too: a report looks back); NotFound says what to do."""
    program = find_program(session, workspace_id=workspace_id, name=name, include_closed=True)
    return _facts(program)


def program_by_name(session: Session, *, name: str) -> ProgramFacts:
    """For the CLI, which serves no one workspace: the program of that name, wherever it is."""
    found = list(
        session.scalars(select(Program).where(func.lower(Program.name) == name.strip().lower()))
    )
    if not found:
        raise NotFound(f"There is no program called “{name[:80]}”.")
    if len(found) > 1:
        raise NotFound(f"Several workspaces have a program called “{name[:80]}”.")
    return _facts(found[0])


def _facts(program: Program) -> ProgramFacts:
    return ProgramFacts(
        id=program.id,
        workspace_id=program.workspace_id,
        name=program.name,
        status=str(program.status),
        starts_on=program.starts_on,
        length_weeks=program.length_weeks,
        cadence=str(program.cadence),
        session_minutes=program.session_minutes,
    )


def _scores(likert: object) -> dict[str, int]:
    if not isinstance(likert, dict):
        return {}
    return {
        key: int(value)
        for key, value in likert.items()
        if key in QUESTIONS and isinstance(value, int) and 1 <= value <= 5
    }


def _status_counts(session: Session, model: type[Goal] | type[ActionItem], program_id: int):
    rows = session.connection().execute(
        select(model.owner_id, model.pair_id, model.status, func.count())
        .join(Participant, Participant.id == model.owner_id)
        .where(Participant.program_id == program_id)
        .group_by(model.owner_id, model.pair_id, model.status)
    )
    return [StatusCount(owner, pair, str(status), int(n)) for owner, pair, status, n in rows]


def report_inputs(session: Session, *, program_id: int) -> ReportInputs:
    """Everything a report of the program needs, in eight column-only queries."""
    rows = session.connection().execute  # core rows: no ORM loading for 100,000s of tuples
    program = session.get(Program, program_id)
    if program is None:
        raise LookupError(f"program {program_id} is gone")
    people = [
        PersonRow(pid, str(role), department, str(status))
        for pid, role, department, status in rows(
            select(
                Participant.id, Participant.role, Participant.department, Participant.status
            ).where(Participant.program_id == program_id)
        )
    ]
    pairs = [
        PairRow(pid, rnd, senior, junior, third, str(status), started, ended)
        for pid, rnd, senior, junior, third, status, started, ended in rows(
            select(
                Pair.id,
                Pair.round,
                Pair.senior_id,
                Pair.junior_id,
                Pair.third_id,
                Pair.status,
                Pair.started_at,
                Pair.ended_at,
            )
            .where(Pair.program_id == program_id, Pair.status != PairStatus.PROPOSED)
            .order_by(Pair.id)
        )
    ]
    sessions = [
        SessionRow(pair_id, str(status), at, minutes, by)
        for pair_id, status, at, minutes, by in rows(
            select(
                MentoringSession.pair_id,
                MentoringSession.status,
                func.coalesce(
                    MentoringSession.held_at,
                    MentoringSession.scheduled_at,
                    MentoringSession.created_at,
                ),
                MentoringSession.minutes,
                MentoringSession.cancelled_by_id,
            )
            .join(Pair, Pair.id == MentoringSession.pair_id)
            .where(Pair.program_id == program_id)
        )
    ]
    learnings = [
        (pid, at)
        for pid, at in rows(
            select(Learning.participant_id, Learning.created_at)
            .join(Participant, Participant.id == Learning.participant_id)
            .where(Participant.program_id == program_id)
        )
    ]
    answers = [
        SurveyAnswer(pid, str(kind), period, opens_at, _scores(likert))
        for pid, kind, period, opens_at, likert in rows(
            select(
                SurveyResponse.participant_id,
                Survey.kind,
                Survey.period,
                Survey.opens_at,
                SurveyResponse.likert,  # the reflections column is never selected
            )
            .join(Survey, Survey.id == SurveyResponse.survey_id)
            .where(Survey.program_id == program_id, SurveyResponse.submitted_at.is_not(None))
        )
    ]
    return ReportInputs(
        program=_facts(program),
        people=people,
        pairs=pairs,
        sessions=sessions,
        learnings=learnings,
        goals=_status_counts(session, Goal, program_id),
        actions=_status_counts(session, ActionItem, program_id),
        answers=answers,
    )
