"""Survey aggregates: withheld below three answers, two groups kept apart, and reflections
never part of them; answers stay one row per person and survey."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import SystemClock
from bot.db import make_engine, make_session_factory
from bot.errors import InvalidInput
from bot.services.survey_aggregates import survey_aggregate
from bot.services.surveys import (
    LEARNING_QUESTIONS,
    OPERATIONAL_QUESTIONS,
    QUESTIONS,
    SurveyAnswers,
    save_response,
)
from bot.services.workspaces import ensure_workspace
from models import Member, Participant, Program, Survey, SurveyResponse
from models.enums import Cadence, ProgramStatus, Role, SurveyKind

NOW = datetime(2026, 4, 7, 12, 0, tzinfo=UTC)
SECRET = "REFLECTION-ONLY-FOR-ITS-AUTHOR"


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_session_factory(engine, clock=SystemClock())() as session:
        yield session
    engine.dispose()


@pytest.fixture
def survey_and_people(session: Session) -> tuple[int, list[int]]:
    workspace = ensure_workspace(
        session, team_id="T1", name="Acme", bot_user_id="UB", admin_channel_id=None
    )
    program = Program(
        workspace_id=workspace.id,
        name="Aggregates",
        status=ProgramStatus.ACTIVE,
        starts_on=date(2026, 1, 5),
        length_weeks=52,
        rotation_weeks=26,
        cadence=Cadence.BIWEEKLY,
    )
    session.add(program)
    session.flush()
    people = []
    for n in range(4):
        member = Member(workspace_id=workspace.id, slack_user_id=f"U0AGG{n:05d}")
        session.add(member)
        session.flush()
        participant = Participant(
            program_id=program.id,
            member_id=member.id,
            role=Role.JUNIOR if n % 2 else Role.SENIOR,
            department=f"Dept {n}",
        )
        session.add(participant)
        session.flush()
        people.append(participant.id)
    survey = Survey(
        program_id=program.id,
        kind=SurveyKind.QUARTERLY,
        period="q1",
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=13),
    )
    session.add(survey)
    session.flush()
    return survey.id, people


def _answers(learning: int, operational: int) -> SurveyAnswers:
    likert = dict.fromkeys(LEARNING_QUESTIONS, learning) | dict.fromkeys(
        OPERATIONAL_QUESTIONS, operational
    )
    return SurveyAnswers(likert, {"surprised": SECRET, "do_differently": SECRET})


def test_aggregates_are_withheld_below_three_answers_and_groups_stay_apart(
    session: Session, survey_and_people: tuple[int, list[int]]
) -> None:
    survey_id, people = survey_and_people
    for participant_id, (learning, operational) in zip(people[:2], [(5, 1), (4, 2)], strict=True):
        save_response(
            session,
            survey_id=survey_id,
            participant_id=participant_id,
            answers=_answers(learning, operational),
            now=NOW,
        )
    # Opened but never submitted: does not count.
    session.add(SurveyResponse(survey_id=survey_id, participant_id=people[3], likert={}))
    session.flush()

    withheld = survey_aggregate(session, survey_id)
    assert (withheld.answered, withheld.withheld) == (2, True)
    assert (withheld.learning, withheld.operational) == (None, None)

    save_response(
        session, survey_id=survey_id, participant_id=people[2], answers=_answers(3, 3), now=NOW
    )
    shown = survey_aggregate(session, survey_id)
    assert (shown.answered, shown.withheld) == (3, False)
    assert shown.learning is not None
    assert shown.operational is not None
    assert list(shown.learning) == list(LEARNING_QUESTIONS)
    assert list(shown.operational) == list(OPERATIONAL_QUESTIONS)
    dialogue = shown.learning["dialogue"]
    assert (dialogue.answered, dialogue.mean) == (3, 4.0)
    assert dialogue.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    tools = shown.operational["tools_adopted"]
    assert (tools.mean, tools.distribution) == (2.0, {1: 1, 2: 1, 3: 1, 4: 0, 5: 0})
    assert SECRET not in repr(shown)  # reflections are never part of an aggregate
    assert SECRET not in repr(withheld)


def test_one_row_per_person_edits_update_it_and_bad_answers_are_refused(
    session: Session, survey_and_people: tuple[int, list[int]]
) -> None:
    survey_id, people = survey_and_people
    first = save_response(
        session, survey_id=survey_id, participant_id=people[0], answers=_answers(2, 2), now=NOW
    )
    later = NOW + timedelta(days=2)
    edited = save_response(
        session, survey_id=survey_id, participant_id=people[0], answers=_answers(5, 4), now=later
    )
    assert (first, edited) == (False, True)
    (row,) = session.scalars(select(SurveyResponse))
    assert row.likert == dict.fromkeys(LEARNING_QUESTIONS, 5) | dict.fromkeys(
        OPERATIONAL_QUESTIONS, 4
    )
    assert row.submitted_at == later
    with pytest.raises(InvalidInput):
        save_response(
            session,
            survey_id=survey_id,
            participant_id=people[0],
            answers=SurveyAnswers(dict.fromkeys(QUESTIONS[:-1], 3), {}),
            now=NOW,
        )
    with pytest.raises(InvalidInput):
        save_response(
            session,
            survey_id=survey_id,
            participant_id=people[0],
            answers=SurveyAnswers(dict.fromkeys(QUESTIONS, 6), {}),
            now=NOW,
        )
    assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
