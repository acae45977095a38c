"""Survey aggregates for coordinators: withheld below 3 answers, reflections never included."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.surveys import (
    LEARNING_QUESTIONS,
    LIKERT,
    MIN_ANSWERS,
    OPERATIONAL_QUESTIONS,
    QUESTIONS,
)
from models import SurveyResponse


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
