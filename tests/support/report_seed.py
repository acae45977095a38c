"""A program with a quarter of history for report tests: three pairs, sessions, skips,
goals, action items, learnings and a quarterly survey answered by 3 juniors and 2 seniors
(so the role split of that survey must be withheld: 2 seniors would be singled out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.runtime import Runtime
from bot.services.sessions import record_skip
from bot.slack_emulator import SlackEmulator
from models import ActionItem, Goal, Learning, MentoringSession, Survey, SurveyResponse
from models.enums import ActionStatus, Cadence, GoalStatus, SessionStatus, SurveyKind
from tests.support.factories import active_pair, make_program
from tests.support.survey_flows import participant_id

PROGRAM = "Impact cohort"
JUNIORS = [(f"U0JIMP{n:04d}", "Europe/Berlin", 8, 18) for n in range(3)]
SENIORS = [(f"U0SIMP{n:04d}", "America/New_York", 8, 18) for n in range(3)]


@dataclass(frozen=True)
class Seeded:
    program_id: int
    pair_ids: list[int]
    juniors: list[int]  # participant ids
    seniors: list[int]
    starts: datetime


def seed_program(runtime: Runtime, emulator: SlackEmulator, *, secret: str = "") -> Seeded:
    """Write the history straight to the database; `secret` is put into every private text."""
    today = datetime.now(UTC).date()
    starts_on = today - timedelta(days=100)
    starts = datetime.combine(starts_on, time(9), tzinfo=UTC)
    program_id = make_program(
        runtime, name=PROGRAM, starts_on=starts_on, length_weeks=52, cadence=Cadence.WEEKLY
    )
    made = [
        active_pair(runtime, emulator, program_id=program_id, junior=j, senior=s, started_at=starts)
        for j, s in zip(JUNIORS, SENIORS, strict=True)
    ]
    pair_ids = [pair_id for pair_id, _ in made]
    juniors = [participant_id(runtime, j[0]) for j in JUNIORS]
    seniors = [participant_id(runtime, s[0]) for s in SENIORS]
    with runtime.unit_of_work() as session:
        for index, pair_id in enumerate(pair_ids):
            for week in range(12):
                if (index, week) in {(0, 3), (0, 5), (1, 4), (2, 7)}:
                    continue  # skipped below
                at = starts + timedelta(weeks=week, days=1)
                session.add(
                    MentoringSession(
                        pair_id=pair_id,
                        status=SessionStatus.HELD,
                        held_at=at,
                        minutes=30 + 5 * index,
                        source="log",
                    )
                )
        skips = [(0, seniors[0], 3), (0, seniors[0], 5), (1, seniors[1], 4), (2, juniors[2], 7)]
        for index, who, week in skips:
            record_skip(
                session,
                pair_id=pair_ids[index],
                by_participant_id=who,
                reason=f"Too busy with the audit {secret}",
                at=starts + timedelta(weeks=week, days=1),
            )
        people = [*juniors, *seniors]
        for n, owner in enumerate(people):
            pair_id = pair_ids[n % 3]
            session.add(
                Goal(
                    pair_id=pair_id,
                    owner_id=owner,
                    text=f"Learn pivot tables {secret}",
                    indicator=f"Build one report alone {secret}",
                    status=GoalStatus.ACHIEVED if n in (0, 1, 3) else GoalStatus.OPEN,
                )
            )
            for k in range(2):
                session.add(
                    ActionItem(
                        owner_id=owner,
                        pair_id=pair_id,
                        text=f"Try the shortcut {secret}",
                        status=ActionStatus.DONE if (n + k) % 3 == 0 else ActionStatus.OPEN,
                    )
                )
        for n in range(8):
            at = starts + timedelta(days=10 * n + 2)
            session.add(
                Learning(
                    participant_id=people[n % 4],
                    text=f"Learned about prompts {secret}",
                    created_at=at,
                    updated_at=at,
                )
            )
        opens = starts + timedelta(weeks=13)
        survey = Survey(
            program_id=program_id,
            kind=SurveyKind.QUARTERLY,
            period="q1",
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
        )
        session.add(survey)
        session.flush()
        answered = [(j, 4) for j in juniors] + [(s, 2) for s in seniors[:2]]
        for who, score in answered:
            session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    participant_id=who,
                    likert=dict.fromkeys(
                        (
                            "psychological_safety",
                            "dialogue",
                            "adaptability",
                            "learning",
                            "tools_adopted",
                            "processes_changed",
                            "cross_team_work",
                        ),
                        score,
                    ),
                    reflections={"surprised": f"The juniors surprised me {secret}"},
                    submitted_at=opens + timedelta(days=1),
                )
            )
    return Seeded(program_id, pair_ids, juniors, seniors, starts)
