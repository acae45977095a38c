"""Reflection surveys: when they open, who answers them, their answers and their aggregates.

When surveys open:
- Quarterly: quarters are 13-week blocks from the program's start; quarter k's survey opens
  at 09:00 UTC on `starts_on + 13k weeks` (period "qk") and stays open 14 days. The program's
  last stretch, when its length is not a multiple of 13 weeks, is a last shorter quarter
  ending with the program (none when that stretch is under 4 weeks: the previous
  quarter's survey came only days before).
- Rotation end: when round r ends (its pairs ENDED with reason "rotation", or the program's
  current round moved past r), period "round-r", opening when the first of those pairs ended.
- One survey, not two, when a quarter end and a rotation end fall within 7 days of each
  other, and the rotation-end survey is preferred: a quarterly survey whose end lies within
  7 days of a *scheduled* rotation date waits up to 7 days for that rotation (and opens at
  the end of the wait only if no rotation-end survey came). A rotation that happens within
  7 days of a quarterly survey already sent (an unscheduled, early or late rotation) gets no
  survey of its own: nobody is asked the same questions twice in a week.

Privacy: any aggregate is withheld below `MIN_ANSWERS` answers; reflections belong to their
author and are never part of an aggregate, a log line or anyone else's view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.rhythm.people import Availability, work_windows
from bot.services.programs import ends_on, round_starts_on
from models import Learning, Member, Pair, Participant, Program, Survey, SurveyResponse, Workspace
from models.enums import PairStatus, ParticipantStatus, ProgramStatus, SurveyKind, WorkspaceStatus

QUARTER = timedelta(weeks=13)
OPEN_FOR = timedelta(days=14)
OPENS_AT = time(9)  # UTC; each person's DM then waits for their own working hours
MERGE_WINDOW = timedelta(days=7)
SHORTEST_LAST_QUARTER = timedelta(weeks=4)
MIN_ANSWERS = 3
LIKERT = range(1, 6)
REFLECTION_MAX = 1000
SUMMARY_LATEST = 3

# The questions, by key (stored in SurveyResponse.likert); their wording lives in the view.
LEARNING_QUESTIONS = ("psychological_safety", "dialogue", "adaptability", "learning")
OPERATIONAL_QUESTIONS = ("tools_adopted", "processes_changed", "cross_team_work")
QUESTIONS = LEARNING_QUESTIONS + OPERATIONAL_QUESTIONS
REFLECTIONS = ("surprised", "do_differently")


class SurveyClosed(NotAllowed):
    """The survey's answering time is over; nothing is changed."""

    def __init__(self, closes_at: datetime) -> None:
        self.closes_at = closes_at
        super().__init__(
            f"This survey closed on {closes_at:%a %d %b %Y} at {closes_at:%H:%M} UTC, "
            "so I left your answers as they were."
        )


@dataclass(frozen=True)
class SurveyInfo:
    id: int
    program_id: int
    program_name: str
    kind: SurveyKind
    period: str
    opens_at: datetime
    closes_at: datetime
    window_start: datetime  # the quarter or round the survey looks back on
    window_end: datetime

    @property
    def number(self) -> int:
        return int(self.period.removeprefix("q").removeprefix("round-"))

    @property
    def is_quarterly(self) -> bool:
        return self.kind == SurveyKind.QUARTERLY


@dataclass(frozen=True)
class SurveyAnswers:
    likert: dict[str, int]
    reflections: dict[str, str]


@dataclass(frozen=True)
class SurveyForm:
    survey: SurveyInfo
    answers: SurveyAnswers | None  # the person's own earlier answers, to prefill


@dataclass(frozen=True)
class LearningSummary:
    count: int
    latest: tuple[str, ...]  # newest first


@dataclass(frozen=True)
class Recipient:
    participant_id: int
    user_id: str
    status: ParticipantStatus


@dataclass(frozen=True)
class QuestionAggregate:
    key: str
    answered: int
    mean: float | None  # None below MIN_ANSWERS for this question
    distribution: dict[int, int] | None  # 1..5 -> how many


@dataclass(frozen=True)
class SurveyAggregate:
    survey_id: int
    answered: int
    withheld: bool
    learning: dict[str, QuestionAggregate] | None  # None while withheld
    operational: dict[str, QuestionAggregate] | None


# -- when surveys open (pure) ---------------------------------------------------------------


def at_opening(day: date) -> datetime:
    return datetime.combine(day, OPENS_AT, tzinfo=UTC)


def quarter_ends(program: Program) -> list[tuple[int, date]]:
    """(k, the day quarter k ends) for the whole program; the last quarter ends with it."""
    last_day = ends_on(program)
    found: list[tuple[int, date]] = []
    k = 1
    while (end := program.starts_on + QUARTER * k) < last_day:
        found.append((k, end))
        k += 1
    previous = found[-1][1] if found else program.starts_on
    if not found or last_day - previous >= SHORTEST_LAST_QUARTER:
        found.append((k, last_day))
    return found


def scheduled_rotations(program: Program) -> list[datetime]:
    """The planned rotation dates (the program's own end is not a rotation)."""
    found, r = [], 2
    while (start := round_starts_on(program, r)) < ends_on(program):
        found.append(at_opening(start))
        r += 1
    return found


def survey_window(program: Program, survey: Survey) -> tuple[datetime, datetime]:
    """The quarter or round a survey looks back on, as [start, end) in UTC."""
    number = int(survey.period.removeprefix("q").removeprefix("round-"))
    if survey.kind == SurveyKind.QUARTERLY:
        start = program.starts_on + QUARTER * (number - 1)
        end = at_opening(min(program.starts_on + QUARTER * number, ends_on(program)))
    else:  # the round, up to the moment it actually ended
        start, end = round_starts_on(program, number), survey.opens_at
    return datetime.combine(start, time(0), tzinfo=UTC), end


def _near(moment: datetime, others: Iterable[datetime]) -> bool:
    return any(abs(moment - other) <= MERGE_WINDOW for other in others)


def due_surveys(
    program: Program,
    *,
    now: datetime,
    rounds_ended: dict[int, datetime],
    existing: list[tuple[SurveyKind, str, datetime]],
) -> list[tuple[SurveyKind, str, datetime]]:
    """The (kind, period, opens_at) of surveys that opened by `now`, are still open, and are
    missing: rotation ends first, so that a quarter end next to one gives way to it."""
    have = {(kind, period) for kind, period, _ in existing}
    quarterlies = [at for kind, _, at in existing if kind == SurveyKind.QUARTERLY]
    rotations = [at for kind, _, at in existing if kind == SurveyKind.ROTATION_END]
    due: list[tuple[SurveyKind, str, datetime]] = []
    ended = dict(rounds_ended)
    for r in range(1, program.current_round):  # rounds the program moved past
        ended.setdefault(r, min(at_opening(round_starts_on(program, r + 1)), now))
    for r, opens_at in sorted(ended.items()):
        period = f"round-{r}"
        if (SurveyKind.ROTATION_END, period) in have or not opens_at <= now < opens_at + OPEN_FOR:
            continue
        if _near(opens_at, quarterlies):
            continue  # a quarterly survey went out days ago: that one counts for this round
        due.append((SurveyKind.ROTATION_END, period, opens_at))
        rotations.append(opens_at)
    scheduled = scheduled_rotations(program)
    for k, end in quarter_ends(program):
        period, quarter_end = f"q{k}", at_opening(end)
        if (SurveyKind.QUARTERLY, period) in have or _near(quarter_end, rotations):
            continue
        opens_at = quarter_end + MERGE_WINDOW if _near(quarter_end, scheduled) else quarter_end
        if opens_at <= now < opens_at + OPEN_FOR:
            due.append((SurveyKind.QUARTERLY, period, opens_at))
    return due


def first_working_moment(at: datetime, person: Availability) -> datetime:
    """`at` itself when it falls in the person's working hours, else their next work start."""
    for start, end in work_windows(person, start=at, end=at + timedelta(days=5)):
        if end > at:
            return max(start, at)
    return at  # pragma: no cover - a week always holds a working day


def availability(timezone: str, start: time | None, end: time | None) -> Availability:
    try:
        return Availability(
            timezone=timezone, work_start=start or time(9), work_end=end or time(17)
        )
    except ValueError:
        return Availability(timezone="UTC")


# -- reading ---------------------------------------------------------------------------------


def _info(survey: Survey, program: Program) -> SurveyInfo:
    start, end = survey_window(program, survey)
    return SurveyInfo(
        id=survey.id,
        program_id=program.id,
        program_name=program.name,
        kind=survey.kind,
        period=survey.period,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        window_start=start,
        window_end=end,
    )


def surveys_by_id(session: Session, survey_ids: Iterable[int]) -> dict[int, SurveyInfo]:
    rows = session.execute(
        select(Survey, Program)
        .join(Program, Program.id == Survey.program_id)
        .where(Survey.id.in_(set(survey_ids)))
    )
    return {survey.id: _info(survey, program) for survey, program in rows}


def recipients(session: Session, participant_ids: Iterable[int]) -> dict[int, Recipient]:
    rows = session.execute(
        select(Participant.id, Member.slack_user_id, Participant.status)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.id.in_(set(participant_ids)))
    )
    return {pid: Recipient(pid, user_id, status) for pid, user_id, status in rows}


def answered(
    session: Session, survey_ids: Iterable[int], participant_ids: Iterable[int] | None = None
) -> set[tuple[int, int]]:
    """(survey, participant) of every submitted response among these."""
    query = select(SurveyResponse.survey_id, SurveyResponse.participant_id).where(
        SurveyResponse.survey_id.in_(set(survey_ids)), SurveyResponse.submitted_at.is_not(None)
    )
    if participant_ids is not None:
        query = query.where(SurveyResponse.participant_id.in_(set(participant_ids)))
    return {(s, p) for s, p in session.execute(query)}


def learning_summaries(
    session: Session, wanted: Iterable[tuple[int, datetime, datetime]]
) -> dict[tuple[int, datetime, datetime], LearningSummary]:
    """Each person's own learning-log entries in a window: how many and the latest few."""
    wanted = set(wanted)
    if not wanted:
        return {}
    rows = session.execute(
        select(Learning.participant_id, Learning.created_at, Learning.text)
        .where(
            Learning.participant_id.in_({p for p, _, _ in wanted}),
            Learning.created_at >= min(start for _, start, _ in wanted),
            Learning.created_at < max(end for _, _, end in wanted),
        )
        .order_by(Learning.created_at.desc(), Learning.id.desc())
    )
    by_person: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for participant_id, created_at, text in rows:
        by_person[participant_id].append((created_at, text))
    found = {}
    for key in wanted:
        participant_id, start, end = key
        texts = [text for at, text in by_person[participant_id] if start <= at < end]
        found[key] = LearningSummary(len(texts), tuple(texts[:SUMMARY_LATEST]))
    return found


def _participant_of(session: Session, *, program_id: int, workspace_id: int, user_id: str) -> int:
    participant_id = session.scalar(
        select(Participant.id)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Participant.program_id == program_id,
            Participant.status != ParticipantStatus.LEFT,
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
        )
    )
    if participant_id is None:
        raise NotAllowed(
            "This survey belongs to a program you are not part of, so I left everything as it was."
        )
    return participant_id


def answerable(
    session: Session, *, survey_id: int, workspace_id: int, user_id: str, now: datetime
) -> tuple[SurveyInfo, int]:
    """The survey and the person's participant id, only if it is theirs and open now."""
    row = session.execute(
        select(Survey, Program)
        .join(Program, Program.id == Survey.program_id)
        .where(Survey.id == survey_id, Program.workspace_id == workspace_id)
    ).first()
    if row is None:
        raise NotFound("That survey no longer exists.")
    survey = _info(*row)
    participant_id = _participant_of(
        session, program_id=survey.program_id, workspace_id=workspace_id, user_id=user_id
    )
    if now >= survey.closes_at:
        raise SurveyClosed(survey.closes_at)
    if now < survey.opens_at:
        raise NotFound("This survey isn't open yet.")
    return survey, participant_id


def _answers_of(response: SurveyResponse | None) -> SurveyAnswers | None:
    if response is None or response.submitted_at is None:
        return None
    return SurveyAnswers(dict(response.likert or {}), dict(response.reflections or {}))


def survey_form(
    session: Session, *, survey_id: int, workspace_id: int, user_id: str, now: datetime
) -> SurveyForm:
    survey, participant_id = answerable(
        session, survey_id=survey_id, workspace_id=workspace_id, user_id=user_id, now=now
    )
    response = session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.participant_id == participant_id
        )
    )
    return SurveyForm(survey, _answers_of(response))


def current_survey_id(
    session: Session, *, workspace_id: int, user_id: str, now: datetime
) -> int | None:
    """The latest survey open now in any program the person takes part in."""
    return session.scalar(
        select(Survey.id)
        .join(Participant, Participant.program_id == Survey.program_id)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
            Participant.status != ParticipantStatus.LEFT,
            Survey.opens_at <= now,
            Survey.closes_at > now,
        )
        .order_by(Survey.opens_at.desc(), Survey.id.desc())
        .limit(1)
    )


# -- answering -------------------------------------------------------------------------------


def check_answers(answers: SurveyAnswers) -> None:
    """The view validates field by field; this guards the service against anything else."""
    if set(answers.likert) != set(QUESTIONS) or any(
        v not in LIKERT for v in answers.likert.values()
    ):
        raise InvalidInput("Every rating needs an answer from 1 to 5.")
    if not set(answers.reflections) <= set(REFLECTIONS) or any(
        len(text) > REFLECTION_MAX for text in answers.reflections.values()
    ):
        raise InvalidInput(f"Reflections are limited to {REFLECTION_MAX} characters.")


def save_response(
    session: Session,
    *,
    survey_id: int,
    participant_id: int,
    answers: SurveyAnswers,
    now: datetime,
) -> bool:
    """Store the person's answers, one row per person and survey; True when it was an edit."""
    check_answers(answers)
    values: dict[str, Any] = {
        "likert": dict(answers.likert),
        "reflections": dict(answers.reflections),
        "submitted_at": now,
    }
    mine = select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.participant_id == participant_id
    )
    response = session.scalar(mine.with_for_update())
    if response is None:
        try:
            with session.begin_nested():
                session.add(
                    SurveyResponse(survey_id=survey_id, participant_id=participant_id, **values)
                )
            return False
        except IntegrityError:  # a concurrent submission of the same person won the insert
            response = session.scalar(mine.with_for_update())
            assert response is not None
    for name, value in values.items():
        setattr(response, name, value)
    return True


# -- aggregates ------------------------------------------------------------------------------


def _question(key: str, values: list[int]) -> QuestionAggregate:
    if len(values) < MIN_ANSWERS:
        return QuestionAggregate(key, len(values), None, None)
    distribution = {score: values.count(score) for score in LIKERT}
    return QuestionAggregate(key, len(values), round(sum(values) / len(values), 2), distribution)


def survey_aggregate(session: Session, survey_id: int) -> SurveyAggregate:
    """Means and distributions per question, in two groups; withheld below MIN_ANSWERS.

    Only the Likert answers are read: reflections never take part in an aggregate.
    """
    likerts = list(
        session.scalars(
            select(SurveyResponse.likert).where(
                SurveyResponse.survey_id == survey_id, SurveyResponse.submitted_at.is_not(None)
            )
        )
    )
    count = len(likerts)
    if count < MIN_ANSWERS:
        return SurveyAggregate(survey_id, count, True, None, None)
    by_question: dict[str, list[int]] = defaultdict(list)
    for likert in likerts:
        for key, value in (likert or {}).items():
            if key in QUESTIONS and value in LIKERT:
                by_question[key].append(int(value))

    def group(keys: tuple[str, ...]) -> dict[str, QuestionAggregate]:
        return {key: _question(key, by_question[key]) for key in keys}

    return SurveyAggregate(
        survey_id, count, False, group(LEARNING_QUESTIONS), group(OPERATIONAL_QUESTIONS)
    )


# -- planning (set-based: a handful of queries whatever the number of people) ----------------


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
