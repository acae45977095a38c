"""Time the impact report of a 5,000-person program with a year of data, and its memory.

Usage: .venv/bin/python bench/bench_report.py [--people 5000] [--database-url URL]
Default database: a fresh SQLite file in a temporary folder. For PostgreSQL pass an empty
database's URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench.

The year is bulk-inserted with SQLAlchemy core: two 26-week rounds of weekly pairs
(5,000 pairs in all), ~85 % of weeks held, skips by either side, goals, action items,
learning-log entries and four quarterly surveys answered by 60 % of people. Then the
whole offline report is built as `twoway report` builds it (read, figures, 4 charts,
HTML, Markdown, CSVs) and the export's CSVs; wall time, tracemalloc peak and max RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from bot import migrate
from bot.clock import SystemClock
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.reports.charts import all_charts
from bot.reports.documents import html_report, markdown_report
from bot.reports.export import export_files
from bot.reports.figures import compute_report
from bot.reports.tables import report_csvs
from bot.services.report_data import report_inputs
from bot.services.surveys import QUESTIONS
from bot.services.workspaces import ensure_workspace
from models import (
    ActionItem,
    Goal,
    Learning,
    Member,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Survey,
    SurveyResponse,
)
from models.enums import Cadence, ProgramStatus

CHUNK = 5000


def _insert(session: Any, model: type, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start : start + CHUNK])


def _ids(session: Any, column: Any, where: Any) -> list[int]:
    return list(session.scalars(select(column).where(where).order_by(column)))


def seed(sessions: Any, people: int, rng: random.Random) -> int:
    """A program that started 364 days ago; returns its id."""
    now = datetime.now(UTC)
    starts_on = (now - timedelta(days=364)).date()
    start = datetime.combine(starts_on, datetime.min.time(), tzinfo=UTC)
    stamp = {"created_at": now, "updated_at": now}
    with unit_of_work(sessions) as session:
        workspace = ensure_workspace(
            session, team_id="TBENCH", name="bench", bot_user_id=None, admin_channel_id=None
        )
        program = Program(
            workspace_id=workspace.id,
            name="Bench",
            status=ProgramStatus.ACTIVE,
            starts_on=starts_on,
            length_weeks=52,
            rotation_weeks=26,
            cadence=Cadence.WEEKLY,
            current_round=2,
        )
        session.add(program)
        session.flush()
        program_id, workspace_id = program.id, workspace.id
        _insert(
            session,
            Member,
            [
                {"workspace_id": workspace_id, "slack_user_id": f"U{i:09d}", **stamp}
                for i in range(people)
            ],
        )
        members = _ids(session, Member.id, Member.workspace_id == workspace_id)
        half = people // 2
        _insert(
            session,
            Participant,
            [
                {
                    "program_id": program_id,
                    "member_id": m,
                    "role": "senior" if i < half else "junior",
                    "department": f"Dept {i % 12}",
                    "can_share": [],
                    "wants_to_learn": [],
                    "languages": ["en"],
                    "avoid_user_ids": [],
                    "extra": {},
                    "status": "active",
                    **stamp,
                }
                for i, m in enumerate(members)
            ],
        )
        ids = _ids(session, Participant.id, Participant.program_id == program_id)
        seniors, juniors = ids[:half], ids[half:]
        pair_rows = []
        for rnd in (1, 2):
            shift = 0 if rnd == 1 else 1
            began = start + timedelta(weeks=26 * (rnd - 1))
            for k in range(half):
                pair_rows.append(
                    {
                        "program_id": program_id,
                        "round": rnd,
                        "senior_id": seniors[k],
                        "junior_id": juniors[(k + shift) % half],
                        "status": "ended" if rnd == 1 else "active",
                        "started_at": began,
                        "ended_at": began + timedelta(weeks=26) if rnd == 1 else None,
                        "match_reasons": {},
                        **stamp,
                    }
                )
        _insert(session, Pair, pair_rows)
        pairs = list(
            session.execute(
                select(Pair.id, Pair.round, Pair.senior_id, Pair.junior_id).where(
                    Pair.program_id == program_id
                )
            )
        )
        session_rows, goal_rows, action_rows, learning_rows = [], [], [], []
        for pair_id, rnd, senior, junior in pairs:
            began = start + timedelta(weeks=26 * (rnd - 1))
            for week in range(26):
                at = began + timedelta(weeks=week, days=rng.randrange(5), hours=10)
                if at > now:
                    break
                roll = rng.random()
                if roll < 0.85:
                    session_rows.append(
                        {
                            "pair_id": pair_id,
                            "status": "held",
                            "held_at": at,
                            "minutes": rng.choice((20, 30, 30, 45)),
                            "notes_visibility": "pair",
                            "source": "log",
                            **stamp,
                        }
                    )
                elif roll < 0.95:
                    session_rows.append(
                        {
                            "pair_id": pair_id,
                            "status": "skipped",
                            "scheduled_at": at,
                            "cancelled_by_id": senior if rng.random() < 0.6 else junior,
                            "reason": "synthetic",
                            "notes_visibility": "pair",
                            "source": "nudge",
                            **stamp,
                        }
                    )
            for owner in (senior, junior):
                goal_rows.append(
                    {
                        "pair_id": pair_id,
                        "owner_id": owner,
                        "text": "synthetic",
                        "indicator": "synthetic",
                        "status": rng.choice(("open", "achieved", "achieved", "dropped")),
                        **stamp,
                    }
                )
                for _ in range(2):
                    action_rows.append(
                        {
                            "owner_id": owner,
                            "pair_id": pair_id,
                            "text": "synthetic",
                            "status": rng.choice(("open", "done", "done", "dropped")),
                            **stamp,
                        }
                    )
                for _ in range(5):
                    at = began + timedelta(days=rng.randrange(182))
                    learning_rows.append(
                        {
                            "participant_id": owner,
                            "pair_id": pair_id,
                            "text": "synthetic",
                            "visibility": "private",
                            "created_at": at,
                            "updated_at": at,
                        }
                    )
        _insert(session, MentoringSession, session_rows)
        _insert(session, Goal, goal_rows)
        _insert(session, ActionItem, action_rows)
        _insert(session, Learning, learning_rows)
        for quarter in (1, 2, 3, 4):
            opens = start + timedelta(weeks=13 * quarter)
            survey = Survey(
                program_id=program_id,
                kind="quarterly",
                period=f"q{quarter}",
                opens_at=min(opens, now - timedelta(days=1)),
                closes_at=opens + timedelta(days=14),
            )
            session.add(survey)
            session.flush()
            _insert(
                session,
                SurveyResponse,
                [
                    {
                        "survey_id": survey.id,
                        "participant_id": p,
                        "likert": {q: rng.randint(2, 5) for q in QUESTIONS},
                        "reflections": {"surprised": "synthetic"},
                        "submitted_at": survey.opens_at + timedelta(days=2),
                        **stamp,
                    }
                    for p in ids
                    if rng.random() < 0.6
                ],
            )
    print(
        f"seeded: {people} people, {len(pairs)} pairs, {len(session_rows)} sessions, "
        f"{len(goal_rows)} goals, {len(action_rows)} action items, {len(learning_rows)} learnings"
    )
    return program_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine, clock=SystemClock())
    started = time.perf_counter()
    program_id = seed(sessions, args.people, random.Random(1))
    print(f"database: {engine.dialect.name}; seeded in {time.perf_counter() - started:.1f} s")
    all_charts  # noqa: B018 - imported (matplotlib loaded) before timing, as in a running app
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time()
    timed = build(sessions, program_id)
    cpu = time.process_time() - cpu
    tracemalloc.start()  # a second pass for the peak: tracemalloc slows everything down
    build(sessions, program_id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"report: {sum(timed.values()):.2f} s ("
        + ", ".join(f"{k} {v:.2f}" for k, v in timed.items())
        + f"); CPU {cpu:.2f} s; tracemalloc peak {peak / 2**20:.0f} MiB; max RSS {rss:.0f} MiB "
        f"(before the report {rss_before:.0f} MiB, seeding included)"
    )
    engine.dispose()


def build(sessions: Any, program_id: int) -> dict[str, float]:
    """The whole offline report and the export's CSVs; seconds per step."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    with unit_of_work(sessions) as session:
        inputs = report_inputs(session, program_id=program_id)
    timings["read"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report = compute_report(inputs, quarter=None, as_of=datetime.now(UTC))
    timings["figures"] = time.perf_counter() - mark
    mark = time.perf_counter()
    charts = all_charts(report)
    timings["charts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    html_report(report, charts)
    markdown_report(report, list(charts))
    report_csvs(report)
    timings["documents"] = time.perf_counter() - mark
    mark = time.perf_counter()
    export_files(inputs, report)
    timings["export"] = time.perf_counter() - mark
    return timings


if __name__ == "__main__":
    main()
