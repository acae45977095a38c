"""A pair with a history where every text either person wrote carries their marker, for
the data-rights tests (`/mentor mydata`, `/mentor forget`, retention, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import JSON as JSON_TYPE
from sqlalchemy import Column, String, Text, func, select

from bot.runtime import Runtime
from bot.services.survey_aggregates import survey_aggregate
from bot.slack_emulator import SlackEmulator
from models import (
    ActionItem,
    AuditLog,
    Base,
    CheckIn,
    Feedback,
    Goal,
    Learning,
    MatchRun,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Survey,
    SurveyResponse,
)
from models.enums import (
    ActionStatus,
    AuditOutcome,
    CheckInOutcome,
    GoalStatus,
    ProgramStatus,
    SessionStatus,
    SurveyKind,
    Visibility,
)
from tests.support.factories import active_pair, make_program

JO, SAM = "U0JUNIOR01", "U0SENIOR01"
JO_MARK, SAM_MARK, TO_JO_MARK = "zqjo7mark", "zqsam7mark", "zqtojo7mark"
THIRDS = ("U0THIRD001", "U0THIRD002")  # two more answers, so survey numbers can be shown


@dataclass(frozen=True)
class Seeded:
    program_id: int
    pair_id: int
    jo: int  # participant ids
    sam: int
    survey_id: int
    jo_learnings: tuple[int, int]  # (to tick in the record, to leave out)
    started: datetime


def seed(runtime: Runtime, emulator: SlackEmulator) -> Seeded:
    started = datetime.now(UTC) - timedelta(days=40)
    program_id = make_program(
        runtime, name="Autumn cohort", starts_on=started.date(), status=ProgramStatus.ACTIVE
    )
    pair_id, _ = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=(JO, "Europe/Berlin", 8, 18),
        senior=(SAM, "America/New_York", 8, 18),
        started_at=started,
    )
    others = []
    for user_id in THIRDS:
        other_pair, _ = active_pair(
            runtime,
            emulator,
            program_id=program_id,
            junior=(user_id, "Europe/Berlin", 8, 18),
            senior=(user_id.replace("THIRD", "THSEN"), "Europe/Berlin", 8, 18),
            started_at=started,
        )
        others.append(other_pair)
    with runtime.unit_of_work() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        jo, sam = pair.junior_id, pair.senior_id
        me = session.get(Participant, jo)
        assert me is not None
        me.department = f"Data team {JO_MARK}"
        me.can_share_notes = f"I can show dashboards {JO_MARK}"
        me.wants_to_learn_notes = f"How budgets are made {JO_MARK}"
        held = []
        for days in (30, 16):
            row = MentoringSession(
                pair_id=pair_id,
                status=SessionStatus.HELD,
                held_at=started + timedelta(days=days),
                minutes=45,
            )
            session.add(row)
            held.append(row)
        session.add(
            MentoringSession(
                pair_id=pair_id,
                status=SessionStatus.SKIPPED,
                cancelled_by_id=jo,
                reason=f"Sick child at home {JO_MARK}",
                scheduled_at=started + timedelta(days=20),
            )
        )
        session.flush()
        session.add(CheckIn(session_id=held[0].id, participant_id=jo, outcome=CheckInOutcome.MET))
        kept = Learning(
            participant_id=jo, pair_id=pair_id, text=f"Pivot tables save hours {JO_MARK}"
        )
        left_out = Learning(
            participant_id=jo, pair_id=pair_id, text=f"My manager worries {JO_MARK}"
        )
        sams = Learning(participant_id=sam, pair_id=pair_id, text=f"Jo is shy {SAM_MARK}")
        session.add_all([kept, left_out, sams])
        session.add_all(
            [
                Goal(
                    pair_id=pair_id,
                    owner_id=jo,
                    text=f"Present to the board {JO_MARK}",
                    indicator=f"One deck presented {JO_MARK}",
                    status=GoalStatus.ACHIEVED,
                ),
                Goal(pair_id=pair_id, owner_id=sam, text=f"Use AI {SAM_MARK}", indicator="x"),
                ActionItem(
                    owner_id=jo,
                    pair_id=pair_id,
                    text=f"Rebuild the sales sheet {JO_MARK}",
                    status=ActionStatus.DONE,
                    completed_at=datetime.now(UTC) - timedelta(days=3),
                ),
                ActionItem(owner_id=sam, pair_id=pair_id, text=f"Try the copilot {SAM_MARK}"),
                Feedback(pair_id=pair_id, from_id=jo, to_id=sam, text=f"Very patient {JO_MARK}"),
                Feedback(
                    pair_id=pair_id,
                    from_id=sam,
                    to_id=jo,
                    text=f"Great questions {TO_JO_MARK}",
                    visibility=Visibility.RECIPIENT,
                ),
            ]
        )
        survey = Survey(
            program_id=program_id,
            kind=SurveyKind.QUARTERLY,
            period="2026-Q4",
            opens_at=started,
            closes_at=started + timedelta(days=30),
        )
        session.add(survey)
        session.flush()
        answers = {jo: (5, JO_MARK), sam: (3, SAM_MARK)}
        for other in others:
            other_pair = session.get(Pair, other)
            assert other_pair is not None
            answers[other_pair.junior_id] = (4, "fine")
        for participant_id, (score, mark) in answers.items():
            session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    participant_id=participant_id,
                    likert={"learning": score},
                    reflections={"best": f"Reflection {mark}"},
                    submitted_at=started + timedelta(days=10),
                )
            )
        # Jo's Slack id where ids are kept: a refused attempt, an earlier unmatched round
        session.add(
            AuditLog(
                workspace_id=runtime.workspace_id,
                actor_user_id=JO,
                action="admin.match",
                outcome=AuditOutcome.DENIED,
                detail={"asked_by": JO},
            )
        )
        session.add(
            MatchRun(
                program_id=program_id,
                round=1,
                unmatched=[{"key": JO, "role": "junior", "reason": "no_senior_left"}],
            )
        )
        session.flush()
        return Seeded(program_id, pair_id, jo, sam, survey.id, (kept.id, left_out.id), started)


def text_columns() -> list[tuple[str, Column]]:
    """Every text-like column (strings, texts, JSON) of every table the models define."""
    return [
        (table.name, column)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text | JSON_TYPE)
    ]


def holding(runtime: Runtime, *needles: str) -> list[str]:
    """`table.column` (and id) of every stored value containing one of `needles`."""
    import json

    found = []
    with runtime.unit_of_work() as session:
        for table_name, column in text_columns():
            table = Base.metadata.tables[table_name]
            key = next(iter(table.primary_key.columns))
            for row_key, value in session.execute(select(key, column)):
                text = value if isinstance(value, str) else json.dumps(value)
                if any(needle in text for needle in needles):
                    found.append(f"{table_name}.{column.name}#{row_key}")
    return found


def aggregates(runtime: Runtime, seeded: Seeded) -> dict[str, object]:
    """What coordinators' numbers rest on: sessions held, minutes, survey scores."""
    with runtime.unit_of_work() as session:
        held, minutes = session.execute(
            select(func.count(), func.sum(MentoringSession.minutes))
            .join(Pair, Pair.id == MentoringSession.pair_id)
            .where(
                Pair.program_id == seeded.program_id,
                MentoringSession.status == SessionStatus.HELD,
            )
        ).one()
        survey = survey_aggregate(session, seeded.survey_id)
        participants = session.scalar(
            select(func.count()).where(Participant.program_id == seeded.program_id)
        )
        goals_achieved = session.scalar(
            select(func.count()).where(Goal.status == GoalStatus.ACHIEVED)
        )
        programs = session.scalar(select(func.count()).select_from(Program))
    return {
        "held": held,
        "minutes": minutes,
        "survey": repr(survey),
        "participants": participants,
        "goals_achieved": goals_achieved,
        "programs": programs,
    }
