"""Which surveys and reminders to plan: set-based, a handful of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.rhythm.people import Availability
from bot.services.survey_calendar import OPEN_FOR, availability, due_surveys, first_working_moment
from bot.services.surveys import answered
from models import Delivery, Member, Pair, Participant, Program, Survey, Workspace
from models.enums import (
    DeliveryStatus,
    PairStatus,
    ParticipantStatus,
    ProgramStatus,
    SurveyKind,
    WorkspaceStatus,
)


def active_programs(session: Session) -> list[Program]:
    return list(
        session.scalars(
            select(Program)
            .join(Workspace, Workspace.id == Program.workspace_id)
            .where(
                Program.status == ProgramStatus.ACTIVE,
                Workspace.status == WorkspaceStatus.ACTIVE,
            )
        )
    )


def rounds_ended_by_rotation(
    session: Session, program_ids: list[int]
) -> dict[int, dict[int, datetime]]:
    """program -> round -> when the first of its pairs ended at a rotation."""
    found: dict[int, dict[int, datetime]] = defaultdict(dict)
    rows = session.execute(
        select(Pair.program_id, Pair.round, func.min(Pair.ended_at))
        .where(
            Pair.program_id.in_(program_ids),
            Pair.status == PairStatus.ENDED,
            Pair.status_reason == "rotation",
            Pair.ended_at.is_not(None),
        )
        .group_by(Pair.program_id, Pair.round)
    )
    for program_id, round_number, ended_at in rows:
        found[program_id][round_number] = ended_at
    return found


def create_due_surveys(session: Session, *, now: datetime) -> int:
    """Insert the surveys that became due for active programs; the unique key makes it once."""
    programs = active_programs(session)
    if not programs:
        return 0
    ids = [p.id for p in programs]
    ended = rounds_ended_by_rotation(session, ids)
    existing: dict[int, list[tuple[SurveyKind, str, datetime]]] = defaultdict(list)
    for program_id, kind, period, opens_at in session.execute(
        select(Survey.program_id, Survey.kind, Survey.period, Survey.opens_at).where(
            Survey.program_id.in_(ids)
        )
    ):
        existing[program_id].append((kind, period, opens_at))
    rows = [
        {
            "program_id": program.id,
            "kind": kind,
            "period": period,
            "opens_at": opens_at,
            "closes_at": opens_at + OPEN_FOR,
            "created_at": now,
            "updated_at": now,
        }
        for program in programs
        for kind, period, opens_at in due_surveys(
            program, now=now, rounds_ended=ended.get(program.id, {}), existing=existing[program.id]
        )
    ]
    return _insert_new(session, rows)


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> int:
    if not rows:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(Survey)
        .on_conflict_do_nothing(index_elements=["program_id", "kind", "period"])
        .returning(Survey.id)
    )
    return len(session.execute(statement, rows).all())


@dataclass(frozen=True)
class PlannedSurvey:
    """One person's survey DM and its reminders, before they become outbox rows."""

    workspace_id: int
    survey_id: int
    participant_id: int
    due_at: datetime
    reminders: tuple[datetime, ...]


REMINDER_AFTER = (timedelta(days=5), timedelta(days=10))


def survey_deliveries(session: Session, *, now: datetime) -> list[PlannedSurvey]:
    """For every open survey of an active program, each active participant's DM and reminders
    (no reminders for those who already answered)."""
    open_surveys = session.execute(
        select(
            Survey.id, Survey.program_id, Survey.opens_at, Survey.closes_at, Program.workspace_id
        )
        .join(Program, Program.id == Survey.program_id)
        .join(Workspace, Workspace.id == Program.workspace_id)
        .where(
            Survey.opens_at <= now,
            Survey.closes_at > now,
            Program.status == ProgramStatus.ACTIVE,
            Workspace.status == WorkspaceStatus.ACTIVE,
        )
    ).all()
    if not open_surveys:
        return []
    people: dict[int, list[tuple[int, Availability]]] = defaultdict(list)
    for participant_id, program_id, timezone, start, end in session.execute(
        select(
            Participant.id,
            Participant.program_id,
            Member.timezone,
            Participant.work_start,
            Participant.work_end,
        )
        .join(Member, Member.id == Participant.member_id)
        .where(
            Participant.program_id.in_({s.program_id for s in open_surveys}),
            Participant.status == ParticipantStatus.ACTIVE,
            Member.is_deleted.is_(False),
        )
    ):
        people[program_id].append((participant_id, availability(timezone, start, end)))
    done = answered(session, [s.id for s in open_surveys])
    planned = []
    for survey_id, program_id, opens_at, closes_at, workspace_id in open_surveys:
        for participant_id, hours in people[program_id]:
            # Planned late (a resume, a new joiner, a scheduler that was down): from now on,
            # so that reminders never arrive on top of the survey itself.
            due_at = first_working_moment(max(opens_at, now), hours)
            reminders = (
                ()
                if (survey_id, participant_id) in done
                else tuple(due_at + after for after in REMINDER_AFTER if due_at + after < closes_at)
            )
            if due_at < closes_at:
                planned.append(
                    PlannedSurvey(workspace_id, survey_id, participant_id, due_at, reminders)
                )
    return planned


def claimed_survey_rows(
    session: Session, *, worker: str | None, kinds: Iterable[str]
) -> list[tuple[str, int, int]]:
    """(kind, survey id, participant id) of the survey rows one worker holds claimed now:
    the outbox renders them in one batch, so their surveys and people load together."""
    rows = session.execute(
        select(Delivery.kind, Delivery.payload, Delivery.participant_id).where(
            Delivery.status == DeliveryStatus.CLAIMED,
            Delivery.claimed_by == worker,
            Delivery.kind.in_(list(kinds)),
        )
    )
    return [
        (kind, int((payload or {}).get("survey_id", 0)), participant_id)
        for kind, payload, participant_id in rows
        if participant_id is not None
    ]
