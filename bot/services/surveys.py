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
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.survey_calendar import survey_window
from models import Learning, Member, Participant, Program, Survey, SurveyResponse
from models.enums import ParticipantStatus, SurveyKind

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
