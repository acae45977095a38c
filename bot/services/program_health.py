"""One program's health as numbers: who is in, who waits and why, which pairs still meet.

The status command, its insights and the coordinators' Home section all read this one
dataclass, so the three never disagree. Counts and ids only: nothing anyone wrote.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.services.pairs import pair_details_many
from bot.services.programs import next_rotation_on
from bot.services.rhythm import current_period
from bot.services.stalls import NOTE_AFTER, last_held, missed_periods
from bot.services.survey_calendar import at_opening, quarter_ends, scheduled_rotations
from bot.services.surveys import answered
from models import (
    Delivery,
    MatchRun,
    Member,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Survey,
)
from models.enums import (
    DeliveryStatus,
    MatchRunStatus,
    PairStatus,
    ParticipantStatus,
    ProgramStatus,
    Role,
    SessionStatus,
)

NOT_MATCHED_YET = "no round has been matched yet"
JOINED_LATE = "joined after the last round was matched"


@dataclass(frozen=True)
class Waiting:
    """People of one role without a partner, for one reason."""

    role: Role
    count: int
    why: str


@dataclass(frozen=True)
class StalledPair:
    pair_id: int
    missed: int  # whole periods without a held session
    since: str  # key of the first missed period: identifies the stall


@dataclass(frozen=True)
class SurveyHealth:
    survey_id: int
    closes_at: datetime
    asked: int  # active participants
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class ProgramHealth:
    program_id: int
    name: str
    status: ProgramStatus
    current_round: int
    people: dict[Role, dict[ParticipantStatus, int]]
    waiting: tuple[Waiting, ...]
    on_track: int  # active pairs that met this period or last
    at_risk: int  # ...that missed one whole period
    stalled: tuple[StalledPair, ...]  # ...that missed two or more
    paused_pairs: int
    sessions_held: int  # this period, over the active pairs
    sessions_expected: int  # one per active pair and period
    average_minutes: int | None
    surveys: tuple[SurveyHealth, ...]  # open now
    failed_deliveries: int
    next_rotation_on: date | None
    next_survey_at: datetime | None
    previews_waiting: tuple[int, ...]  # match runs proposed, waiting for a decision

    def waiting_count(self, role: Role) -> int:
        return sum(w.count for w in self.waiting if w.role == role)

    @property
    def active_pairs(self) -> int:
        return self.on_track + self.at_risk + len(self.stalled)


def program_ids(session: Session, *, workspace_id: int, name: str | None = None) -> list[int]:
    """Open programs of the workspace (or the one named, closed or not), oldest first."""
    query = select(Program.id).where(Program.workspace_id == workspace_id).order_by(Program.id)
    if name:
        query = query.where(func.lower(Program.name) == name.strip().lower())
    else:
        query = query.where(Program.status != ProgramStatus.CLOSED)
    return list(session.scalars(query))


def _people(session: Session, program_id: int) -> dict[Role, dict[ParticipantStatus, int]]:
    found: dict[Role, dict[ParticipantStatus, int]] = {role: {} for role in Role}
    for role, status, count in session.execute(
        select(Participant.role, Participant.status, func.count())
        .where(Participant.program_id == program_id)
        .group_by(Participant.role, Participant.status)
    ):
        found[Role(role)][ParticipantStatus(status)] = count
    return found


def _waiting(session: Session, program: Program) -> tuple[Waiting, ...]:
    """Active participants in no current pair, grouped by role and the matching's reason."""
    paired: set[int] = set()
    for senior, junior, third in session.execute(
        select(Pair.senior_id, Pair.junior_id, Pair.third_id).where(
            Pair.program_id == program.id,
            Pair.round == program.current_round,
            Pair.status.in_((PairStatus.ACTIVE, PairStatus.PAUSED)),
        )
    ):
        paired.update(p for p in (senior, junior, third) if p is not None)
    alone = [
        (participant_id, Role(role), user_id)
        for participant_id, role, user_id in session.execute(
            select(Participant.id, Participant.role, Member.slack_user_id)
            .join(Member, Member.id == Participant.member_id)
            .where(
                Participant.program_id == program.id,
                Participant.status == ParticipantStatus.ACTIVE,
                Member.is_deleted.is_(False),
            )
        )
        if participant_id not in paired
    ]
    last_run = session.scalar(
        select(MatchRun)
        .where(
            MatchRun.program_id == program.id,
            MatchRun.status == MatchRunStatus.CONFIRMED,
            MatchRun.round == program.current_round,
        )
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    reasons = {
        str(u.get("key")): str(u.get("reason")) for u in (last_run.unmatched if last_run else [])
    }
    counts: Counter[tuple[Role, str]] = Counter()
    for _, role, user_id in alone:
        why = NOT_MATCHED_YET if program.current_round < 1 else reasons.get(user_id, JOINED_LATE)
        counts[(role, why)] += 1
    return tuple(Waiting(role, n, why) for (role, why), n in sorted(counts.items()))


def _pairs(
    session: Session, program_id: int, now: datetime
) -> tuple[list[tuple[int, int, str]], int]:
    """(pair id, missed periods, stall key) per active pair, and the paused pairs' count."""
    rows = session.execute(
        select(Pair.id, Pair.status).where(
            Pair.program_id == program_id,
            Pair.status.in_((PairStatus.ACTIVE, PairStatus.PAUSED)),
            Pair.started_at.is_not(None),
        )
    ).all()
    active = [pair_id for pair_id, status in rows if status == PairStatus.ACTIVE]
    paused = len(rows) - len(active)
    if not active:
        return [], paused
    details = pair_details_many(session, active)
    held = last_held(session, active)
    found = []
    for pair in details.values():
        stall = missed_periods(pair, held.get(pair.id), now)
        found.append((pair.id, stall.missed, stall.since))
    return found, paused


def _sessions(session: Session, pair_ids: list[int], now: datetime) -> tuple[int, int | None]:
    """Sessions held in each active pair's current period, and their average length."""
    if not pair_ids:
        return 0, None
    details = pair_details_many(session, pair_ids)
    starts = {pair.id: current_period(pair, now).starts_on for pair in details.values()}
    held = session.execute(
        select(MentoringSession.pair_id, MentoringSession.held_at, MentoringSession.minutes).where(
            MentoringSession.pair_id.in_(pair_ids),
            MentoringSession.status == SessionStatus.HELD,
            MentoringSession.held_at.is_not(None),
        )
    ).all()
    minutes = [
        m or 0
        for pair_id, at, m in held
        if at is not None and starts[pair_id] <= at.date() <= now.date()
    ]
    return len(minutes), (round(sum(minutes) / len(minutes)) if minutes else None)


def _surveys(
    session: Session, program_id: int, now: datetime, asked: int
) -> tuple[SurveyHealth, ...]:
    rows = session.execute(
        select(Survey.id, Survey.closes_at)
        .where(Survey.program_id == program_id, Survey.opens_at <= now, Survey.closes_at > now)
        .order_by(Survey.closes_at)
    ).all()
    done = answered(session, [survey_id for survey_id, _ in rows])
    return tuple(
        SurveyHealth(survey_id, closes_at, asked, sum(1 for s, _ in done if s == survey_id))
        for survey_id, closes_at in rows
    )


def _failed(session: Session, program_id: int) -> int:
    pairs = select(Pair.id).where(Pair.program_id == program_id)
    people = select(Participant.id).where(Participant.program_id == program_id)
    return (
        session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.status == DeliveryStatus.FAILED,
                or_(Delivery.pair_id.in_(pairs), Delivery.participant_id.in_(people)),
            )
        )
        or 0
    )


def _next_survey(program: Program, now: datetime) -> datetime | None:
    """When the next reflection survey opens, about (a quarter's end or a rotation)."""
    if program.status == ProgramStatus.CLOSED:
        return None
    moments = [at_opening(end) for _, end in quarter_ends(program)]
    moments += scheduled_rotations(program)
    later = [m for m in moments if m > now]
    return min(later) if later else None


def program_health(session: Session, *, program_id: int, now: datetime) -> ProgramHealth:
    """Everything the status message and the Home section show for one program."""
    program = session.get(Program, program_id)
    if program is None:
        raise LookupError(f"program {program_id} is gone")
    pairs, paused = _pairs(session, program.id, now)
    active_ids = [pair_id for pair_id, _, _ in pairs]
    held, average = _sessions(session, active_ids, now)
    people = _people(session, program.id)
    asked = sum(counts.get(ParticipantStatus.ACTIVE, 0) for counts in people.values())
    previews = session.scalars(
        select(MatchRun.id)
        .where(MatchRun.program_id == program.id, MatchRun.status == MatchRunStatus.PROPOSED)
        .order_by(MatchRun.id)
    )
    return ProgramHealth(
        program_id=program.id,
        name=program.name,
        status=ProgramStatus(program.status),
        current_round=program.current_round,
        people=people,
        waiting=_waiting(session, program),
        on_track=sum(1 for _, missed, _ in pairs if missed == 0),
        at_risk=sum(1 for _, missed, _ in pairs if 0 < missed < NOTE_AFTER),
        stalled=tuple(
            StalledPair(pair_id, missed, since)
            for pair_id, missed, since in sorted(pairs)
            if missed >= NOTE_AFTER
        ),
        paused_pairs=paused,
        sessions_held=held,
        sessions_expected=len(active_ids),
        average_minutes=average,
        surveys=_surveys(session, program.id, now, asked),
        failed_deliveries=_failed(session, program.id),
        next_rotation_on=next_rotation_on(program)
        if program.status != ProgramStatus.CLOSED
        else None,
        next_survey_at=_next_survey(program, now),
        previews_waiting=tuple(previews),
    )


def program_of(session: Session, *, program_id: int, workspace_id: int) -> str | None:
    """The program's name when it belongs to the workspace (a button's id is checked)."""
    program = session.get(Program, program_id)
    return program.name if program and program.workspace_id == workspace_id else None


def program_of_pair(session: Session, *, pair_id: int, workspace_id: int) -> int | None:
    found = session.execute(
        select(Program.id)
        .join(Pair, Pair.program_id == Program.id)
        .where(Pair.id == pair_id, Program.workspace_id == workspace_id)
    ).scalar()
    return found


def program_of_survey(session: Session, *, survey_id: int, workspace_id: int) -> int | None:
    return session.execute(
        select(Program.id)
        .join(Survey, Survey.program_id == Program.id)
        .where(Survey.id == survey_id, Program.workspace_id == workspace_id)
    ).scalar()
