"""An announcement to many recipients under Slack-like rate limits: wall time against the
rate-limit floor, duplicates and lost copies, with 1 and 2 workers.

Usage: .venv/bin/python bench/bench_announcement.py [--recipients 10000] [--workspace-rate 50]
       [--workspace-burst 10] [--workers 1 2] [--backend postgresql|sqlite]

Each run gets a fresh migrated database with one program and N enrolled people (each with
the DM the bot already has with them, as after their enrolment confirmation, so the run
measures the announcement, not conversations.open). A draft to every active participant
is stored and Send planned (`bot.services.announcements.start`: one row per recipient),
then W worker processes (spawn) loop `send_due(kinds=announcement copies, limit=50)`
with the app's pacing set to the emulator's limits, until no copy is planned or claimed.
The emulator enforces 1 message/s per channel (burst 2) and the workspace rate; every
copy goes to a different DM, so the floor is N / workspace rate.

Duplicates: DMs that received more than one chat.postMessage; lost: recipients that got
none or whose row is not `sent`. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_deliveries import POSTGRES_ADMIN_URL, Databases, Limits, settings_for
from sqlalchemy import func, select

from bot.logging import configure_logging
from bot.outbox.engine import send_due
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.services.announcements import COPIES, Draft, save_draft, start
from bot.slack_emulator import SlackEmulator
from handlers import discover_features
from models import Delivery, DmChannel, Member, Participant, Program
from models.announcement import Audience
from models.enums import Cadence, DeliveryStatus, ProgramStatus, Role

BATCH = 50
COORDINATOR = "U0BENCHCO1"
TEXT = "Hello {first_name}: {program} meets on Friday."


def seed(runtime: Runtime, emulator: SlackEmulator, recipients: int) -> tuple[int, list[str]]:
    """A program, N participants with members and DM channels, in one transaction."""
    now = datetime.now(UTC)
    user_ids = [f"U0A{index:07d}" for index in range(recipients)]
    with runtime.unit_of_work() as session:
        program = Program(
            workspace_id=runtime.workspace_id,
            name="Bench cohort",
            status=ProgramStatus.ACTIVE,
            starts_on=now.date(),
            length_weeks=26,
            rotation_weeks=13,
            cadence=Cadence.BIWEEKLY,
        )
        session.add(program)
        session.add(Member(workspace_id=runtime.workspace_id, slack_user_id=COORDINATOR))
        members = [
            Member(
                workspace_id=runtime.workspace_id,
                slack_user_id=user_id,
                display_name=f"Person{index} Bench",
                timezone="Europe/Berlin",
            )
            for index, user_id in enumerate(user_ids)
        ]
        session.add_all(members)
        session.flush()
        session.add_all(
            Participant(
                program_id=program.id,
                member_id=member.id,
                role=Role.SENIOR if index % 2 else Role.JUNIOR,
                department="IT",
                can_share=[],
                wants_to_learn=[],
                languages=["en"],
                work_start=clock(9),
                work_end=clock(17),
            )
            for index, member in enumerate(members)
        )
        for user_id in user_ids:
            emulator.add_user(user_id, name=user_id.lower(), real_name=user_id, tz="Europe/Berlin")
            channel, _ = emulator.workspace.open_im(user_id)
            session.add(
                DmChannel(
                    workspace_id=runtime.workspace_id, members_key=user_id, channel_id=channel
                )
            )
        return program.id, user_ids


def plan(runtime: Runtime, program_id: int) -> tuple[int, float]:
    """Store the draft and press Send (the service the button calls); (id, seconds)."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    with runtime.unit_of_work() as session:
        announcement_id, _ = save_draft(
            session,
            workspace_id=runtime.require_workspace(),
            user_id=COORDINATOR,
            draft=Draft(program_id, Audience.EVERYONE, (), TEXT),
            now=now,
        )
        start(
            session,
            announcement_id=announcement_id,
            workspace_id=runtime.require_workspace(),
            user_id=COORDINATOR,
            now=now - timedelta(seconds=1),
        )
    return announcement_id, time.perf_counter() - started


def _unfinished(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(
                    Delivery.kind.in_(COPIES),
                    Delivery.status.in_(
                        [DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]
                    ),
                )
            )
            or 0
        )


def worker_main(
    name: str, url: str, api_url: str, limits: Limits, go: Any, conn: Connection
) -> None:
    configure_logging(logging.WARNING)
    runtime = build_runtime(settings_for(url, api_url), features=discover_features())
    runtime.pacing = limits.pacing()
    bootstrap_workspace(runtime)
    _unfinished(runtime)
    conn.send("ready")
    go.wait()
    sent = 0
    while True:
        count = send_due(runtime, datetime.now(UTC), kinds=COPIES, limit=BATCH, worker=name)
        sent += count
        if count:
            continue
        if _unfinished(runtime) == 0:
            break
        time.sleep(0.05)
    runtime.close()
    conn.send((sent, time.monotonic()))


@dataclass
class Run:
    backend: str
    workers: int
    recipients: int
    plan_seconds: float
    wall: float
    floor: float
    rate_limited: int
    duplicates: int
    lost: int
    statuses: Counter[str]


def run(databases: Databases, backend: str, workers: int, recipients: int, limits: Limits) -> Run:
    url = databases.fresh(backend)
    emulator = SlackEmulator().start()
    runtime = build_runtime(settings_for(url, emulator.api_url), features=discover_features())
    try:
        bootstrap_workspace(runtime)
        program_id, user_ids = seed(runtime, emulator, recipients)
        _, plan_seconds = plan(runtime, program_id)
        emulator.enforce_rate_limits(
            per_channel_per_second=limits.channel_rate,
            channel_burst=limits.channel_burst,
            workspace_per_second=limits.workspace_rate,
            workspace_burst=limits.workspace_burst,
        )
        context = multiprocessing.get_context("spawn")
        go = context.Event()
        pipes, processes = [], []
        for index in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=worker_main,
                args=(f"w{index}", url, emulator.api_url, limits, go, sender),
                daemon=True,
            )
            process.start()
            sender.close()
            pipes.append(receiver)
            processes.append(process)
        for receiver in pipes:
            assert receiver.recv() == "ready"
        started = time.monotonic()
        go.set()
        finished = [receiver.recv()[1] for receiver in pipes]
        for process in processes:
            process.join()
        wall = max(finished) - started
        posts = emulator.calls("chat.postMessage")
        conversations = emulator.workspace.conversations
        per_user = Counter(
            conversations[c.args["channel"]]["user"]
            for c in posts
            if c.ok and conversations.get(c.args["channel"], {}).get("is_im")
        )
        with runtime.unit_of_work() as session:
            statuses = Counter(
                str(s.value)
                for s in session.scalars(select(Delivery.status).where(Delivery.kind.in_(COPIES)))
            )
        lost = sum(1 for u in user_ids if per_user[u] == 0) + sum(
            n for s, n in statuses.items() if s != "sent"
        )
        return Run(
            backend,
            workers,
            recipients,
            plan_seconds,
            wall,
            recipients / limits.workspace_rate,
            sum(1 for c in posts if c.http_status == 429),
            sum(1 for n in per_user.values() if n > 1),
            lost,
            statuses,
        )
    finally:
        runtime.close()
        emulator.stop()
        databases.drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workspace-rate", type=float, default=50.0)
    parser.add_argument("--workspace-burst", type=float, default=10.0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_ADMIN_URL)
    args = parser.parse_args()
    configure_logging(logging.WARNING)
    limits = Limits(workspace_rate=args.workspace_rate, workspace_burst=args.workspace_burst)
    print("== an announcement under Slack-like rate limits (bench/bench_announcement.py)")
    print(
        f"{args.recipients} recipients, one DM each; emulator: 1 msg/s per channel (burst 2), "
        f"workspace {limits.workspace_rate:g}/s (burst {limits.workspace_burst:g}); app pacing "
        f"the same; floor = {args.recipients} / {limits.workspace_rate:g}/s = "
        f"{args.recipients / limits.workspace_rate:.1f} s"
    )
    databases = Databases(args.postgres_url)
    backend = args.backend if databases.has_postgres else "sqlite"
    try:
        runs = []
        for workers in args.workers:
            print(f"running: {workers} worker(s) on {backend} ...", flush=True)
            runs.append(run(databases, backend, workers, args.recipients, limits))
    finally:
        databases.close()
    print()
    print(
        f"{'database':<10} {'workers':>7} {'recipients':>10} {'plan s':>7} {'wall s':>7} "
        f"{'floor s':>7} {'wall/floor':>10} {'429s':>5} {'duplicates':>10} {'lost':>5}  statuses"
    )
    for r in runs:
        print(
            f"{r.backend:<10} {r.workers:>7} {r.recipients:>10} {r.plan_seconds:>7.2f} "
            f"{r.wall:>7.1f} {r.floor:>7.1f} {r.wall / r.floor:>10.2f} {r.rate_limited:>5} "
            f"{r.duplicates:>10} {r.lost:>5}  {dict(r.statuses)}"
        )


if __name__ == "__main__":
    main()
