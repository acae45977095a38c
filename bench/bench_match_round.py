"""Time a whole matching round through the service: load 5,000 people, match, store the preview.

Usage: .venv/bin/python bench/bench_match_round.py [--per-side 2500] [--database-url URL]
Default database: a fresh SQLite file in a temporary folder. For PostgreSQL pass an
empty database's URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock

from sqlalchemy import func, select

from bot import migrate
from bot.clock import SystemClock
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.services.match_runs import propose_round
from bot.services.workspaces import ensure_workspace
from bot.topics import TOPICS
from models import Member, Pair, Participant, Program
from models.enums import Cadence, Role

DEPARTMENTS = [f"Dept {i}" for i in range(12)]
ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "America/Los_Angeles",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-side", type=int, default=2500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    migrate.upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine, clock=SystemClock())
    rng = random.Random(1)
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        workspace = ensure_workspace(
            session, team_id="TBENCH", name="bench", bot_user_id=None, admin_channel_id=None
        )
        program = Program(
            workspace_id=workspace.id,
            name="Bench",
            starts_on=date(2027, 1, 4),
            length_weeks=26,
            rotation_weeks=13,
            cadence=Cadence.BIWEEKLY,
        )
        session.add(program)
        session.flush()
        members = [
            Member(workspace_id=workspace.id, slack_user_id=f"U{i:09d}", timezone=rng.choice(ZONES))
            for i in range(2 * args.per_side)
        ]
        session.add_all(members)
        session.flush()
        session.add_all(
            Participant(
                program_id=program.id,
                member_id=member.id,
                role=Role.SENIOR if i < args.per_side else Role.JUNIOR,
                department=rng.choice(DEPARTMENTS),
                can_share=rng.sample(TOPICS, 3),
                wants_to_learn=rng.sample(TOPICS, 3),
                languages=["en"],
                avoid_user_ids=[],
                work_start=clock(rng.choice([7, 8, 9, 10])),
                work_end=clock(rng.choice([16, 17, 18])),
            )
            for i, member in enumerate(members)
        )
        program_id, workspace_id = program.id, workspace.id
    print(
        f"database: {engine.dialect.name}; {2 * args.per_side} participants written in {time.perf_counter() - started:.2f} s"
    )
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        run = propose_round(
            session,
            program_id=program_id,
            workspace_id=workspace_id,
            created_by="UBENCH",
            now=datetime.now(UTC),
        )
        pairs = session.scalar(
            select(func.count()).select_from(Pair).where(Pair.match_run_id == run.id)
        )
        unmatched, score = len(run.unmatched), run.total_score
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"propose_round (load + match + store the preview): {elapsed:.2f} s, max RSS {rss:.0f} MiB"
    )
    print(f"  pairs {pairs}, unmatched {unmatched}, total score {score:g}")
    engine.dispose()


if __name__ == "__main__":
    main()
