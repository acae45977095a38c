"""The outbox under Slack's rate limits: throughput, crash take-over, and SQL statements per pass.

Usage: .venv/bin/python bench/bench_deliveries.py [--messages 400] [--workspace-rate 50]
       [--workspace-burst 10] [--hot-channels 5] [--pairs 100 1000] [--postgres-url URL]
       [--no-sqlite] [--no-statements] [--kill-after-post]

The default of 400 messages keeps a whole run near 3 minutes (a 1-worker run measured about
1.1 times its rate-limit floor, see the README); `--messages 2000` takes about 10 minutes.

Part 1 sends N due outbox rows through `send_due` to a local Slack emulator that enforces
Slack-like limits (1 message/s per channel with a burst of 2, and a workspace rate), with the
app's pacing set to the same workspace rate. Workers are separate OS processes (spawn), each
looping `send_due(limit=50)` until nothing is left: 1 worker and 2 workers on PostgreSQL,
2 workers of which one is SIGKILLed after claiming rows, and 1 worker on SQLite
(`--kill-after-post` adds a run whose victim dies between a post and recording it). Each run
gets a fresh database (`twoway_bench_*` on the PostgreSQL server, a temporary SQLite file).

Part 2 counts the SQL statements (a `before_cursor_execute` listener on the engine) of one
`plan_rhythm` pass and of one `send_due` claim+render, at two sizes, on both databases.

Figures are printed, never asserted; duplicates and lost rows are counted, not hidden.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, create_engine, event, func, select, text

from bot import migrate
from bot.config import Settings
from bot.logging import configure_logging
from bot.outbox.engine import send_due
from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.services.deliveries import LEASE, delivery_key, plan_many
from bot.services.rhythm import plan_rhythm
from bot.services.workspaces import ensure_workspace
from bot.slack.gateway import PostedMessage, SlackGateway
from bot.slack.pacing import Pacing
from bot.slack_emulator import SlackEmulator
from models import Delivery, Member, MentoringSession, Pair, Participant, Program
from models.enums import Cadence, DeliveryStatus, PairStatus, ProgramStatus, Role

KIND = "bench_note"
BATCH = 50  # send_due(limit=...) of every worker
IDLE_GIVE_UP = 20.0  # a worker that finds nothing to claim for this long stops (rows stuck)
TAKEOVER_STEP = LEASE + timedelta(seconds=1)
POSTGRES_ADMIN_URL = os.environ.get(
    "TWOWAY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
UNLIMITED = Pacing(channel_interval=0.0, workspace_per_second=1e9, workspace_burst=1e9)


def render_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Post(text=f"note {delivery.id}", blocks=[], channel=delivery.payload["channel"])


RENDERERS = {KIND: render_note}


# -- databases -----------------------------------------------------------------------------


class Databases:
    """Fresh migrated databases: PostgreSQL copies of a template, SQLite file copies."""

    def __init__(self, postgres_admin_url: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="twoway_bench_"))
        self.prefix = f"twoway_bench_{os.getpid()}"
        self.sqlite_template = self.folder / "template.db"
        self.admin: Engine | None = create_engine(
            postgres_admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True
        )
        self.postgres_base = postgres_admin_url.rsplit("/", 1)[0]
        self.template: str | None = None
        self.created: list[str] = []
        try:
            with self.admin.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            print(f"PostgreSQL unreachable at {postgres_admin_url} ({type(exc).__name__}): skipped")
            self.admin.dispose()
            self.admin = None

    @property
    def has_postgres(self) -> bool:
        return self.admin is not None

    def fresh(self, backend: str) -> str:
        if backend == "sqlite":
            if not self.sqlite_template.exists():
                migrate.upgrade(f"sqlite:///{self.sqlite_template}")
            path = self.folder / f"{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(self.sqlite_template, path)
            return f"sqlite:///{path}"
        assert self.admin is not None
        if self.template is None:
            self.template = self._create(f"{self.prefix}_template")
            migrate.upgrade(f"{self.postgres_base}/{self.template}")
        name = f"{self.prefix}_{uuid.uuid4().hex[:6]}"
        self._create(name, template=self.template)
        return f"{self.postgres_base}/{name}"

    def _create(self, name: str, template: str | None = None) -> str:
        assert self.admin is not None
        suffix = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        self.created.append(name)
        return name

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
            return
        assert self.admin is not None
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.remove(name)

    def close(self) -> None:
        if self.admin is not None:
            for name in list(reversed(self.created)):
                with self.admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def backend_name(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def settings_for(url: str, api_url: str = "http://127.0.0.1:9/api/") -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=api_url,
        DATABASE_URL=url,
    )


# -- part 1: sending under rate limits -----------------------------------------------------


@dataclass(frozen=True)
class Limits:
    workspace_rate: float
    workspace_burst: float
    channel_rate: float = 1.0
    channel_burst: float = 2.0

    def pacing(self) -> Pacing:
        return Pacing(
            channel_interval=1.0 / self.channel_rate,
            workspace_per_second=self.workspace_rate,
            workspace_burst=self.workspace_burst,
        )


def channel_sequence(messages: int, hot_channels: int, per_hot: int) -> list[int]:
    """Channel index of each message, in due order.

    `hot_channels` channels get `per_hot` messages each; the rest go two by two to many
    channels. Every channel's messages are spread evenly over the sequence, as a day's
    deliveries would be, so per-channel pacing matters without serialising the run.
    """
    per_hot = min(per_hot, messages // max(1, hot_channels))
    hot = [
        ((j + (h + 0.5) / hot_channels) / per_hot, h)
        for h in range(hot_channels)
        for j in range(per_hot)
    ]
    rest = messages - len(hot)
    warm = max(1, rest // 2)
    others = [((m + 0.5) / rest, hot_channels + m % warm) for m in range(rest)]
    return [channel for _, channel in sorted(hot + others)]


@dataclass
class WorkerResult:
    name: str
    sent: int = 0
    passes: int = 0  # send_due calls that sent something
    polls: int = 0  # send_due calls that found nothing to send
    finished_at: float = 0.0  # time.monotonic(), system-wide on Linux
    jumped_at: float | None = None
    gave_up_with: int = 0


def _unfinished(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.status.in_(
                    [DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]
                )
            )
        )


def worker_main(
    name: str,
    database_url: str,
    api_url: str,
    limits: Limits,
    start: Any,
    peer_dead: Any,
    conn: Connection,
    die_after_posts: int = 0,
) -> None:
    """One outbox worker process: loop `send_due` until no row is planned or claimed.

    With `die_after_posts`, the process SIGKILLs itself as soon as that many of its
    chat.postMessage calls have returned, before the outcome reaches the database.
    """
    configure_logging(logging.WARNING)
    runtime = build_runtime(settings_for(database_url, api_url))
    runtime.pacing = limits.pacing()
    if die_after_posts:
        post_message, posts = runtime.gateway.post_message, [0]

        def post_then_die(**kwargs: Any) -> PostedMessage:
            posted = post_message(**kwargs)
            posts[0] += 1
            if posts[0] >= die_after_posts:
                os.kill(os.getpid(), signal.SIGKILL)
            return posted

        runtime.gateway.post_message = post_then_die  # type: ignore[method-assign]
    runtime.gateway.auth_test()  # warm the HTTP path (not rate-limited)
    _unfinished(runtime)  # ...and the database connection
    conn.send(("ready", os.getpid()))
    start.wait()
    result = WorkerResult(name)
    offset = timedelta(0)
    idle_since: float | None = None
    while True:
        sent = send_due(runtime, datetime.now(UTC) + offset, RENDERERS, limit=BATCH, worker=name)
        if sent:
            result.sent += sent
            result.passes += 1
            idle_since = None
            continue
        result.polls += 1
        left = _unfinished(runtime)
        if left == 0:
            break
        if peer_dead.is_set() and not offset:
            # What is left is leased to the dead worker: move the clock past its lease.
            offset = TAKEOVER_STEP
            result.jumped_at = time.monotonic()
            continue
        idle_since = idle_since or time.monotonic()
        if time.monotonic() - idle_since > IDLE_GIVE_UP:
            result.gave_up_with = left
            break
        time.sleep(0.05)
    result.finished_at = time.monotonic()
    runtime.close()
    conn.send(("done", result))


@dataclass
class RunResult:
    label: str
    backend: str
    workers: int
    messages: int
    wall: float
    floor: float
    rate_limited: int
    duplicates: int
    lost_emulator: int
    lost_table: int
    lost: int
    statuses: Counter[str]
    notes: list[str] = field(default_factory=list)


def floor_seconds(sequence: Sequence[int], limits: Limits) -> float:
    busiest = max(Counter(sequence).values())
    return max(len(sequence) / limits.workspace_rate, busiest / limits.channel_rate)


def _counts(runtime: Runtime, worker: str) -> tuple[int, int]:
    with runtime.unit_of_work() as session:
        sent = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == DeliveryStatus.SENT)
        )
        held = session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.CLAIMED, Delivery.claimed_by == worker)
        )
    return sent or 0, held or 0


def run_delivery(
    databases: Databases,
    *,
    label: str,
    backend: str,
    workers: int,
    sequence: Sequence[int],
    limits: Limits,
    kill: str | None = None,  # "poll": SIGKILL from outside; "after-post": right after a post
) -> RunResult:
    url = databases.fresh(backend)
    emulator = SlackEmulator().start()
    runtime = build_runtime(settings_for(url, emulator.api_url))
    processes: list[Any] = []
    try:
        bootstrap_workspace(runtime)
        channels = [
            emulator.add_channel(name=f"bench-{i}", members=[emulator.bot_user_id])
            for i in range(max(sequence) + 1)
        ]
        due = datetime.now(UTC) - timedelta(minutes=1)
        with runtime.unit_of_work() as session:
            plan_many(
                session,
                [
                    {
                        "workspace_id": runtime.workspace_id,
                        "kind": KIND,
                        "unique_key": delivery_key(KIND, period=f"n{i:06d}", program_id=0),
                        "period": f"n{i:06d}",
                        "due_at": due,
                        "payload": {"channel": channels[c]},
                    }
                    for i, c in enumerate(sequence)
                ],
                now=due,
            )
        with runtime.unit_of_work() as session:
            planned_ids = list(session.scalars(select(Delivery.id).where(Delivery.kind == KIND)))
        emulator.enforce_rate_limits(
            per_channel_per_second=limits.channel_rate,
            channel_burst=limits.channel_burst,
            workspace_per_second=limits.workspace_rate,
            workspace_burst=limits.workspace_burst,
        )

        context = multiprocessing.get_context("spawn")
        start, peer_dead = context.Event(), context.Event()
        pipes: list[Connection] = []
        for index in range(workers):
            receiver, sender = context.Pipe(duplex=False)
            die_after = len(sequence) // 3 // workers if kill == "after-post" and index == 0 else 0
            process = context.Process(
                target=worker_main,
                args=(
                    f"w{index}",
                    url,
                    emulator.api_url,
                    limits,
                    start,
                    peer_dead,
                    sender,
                    die_after,
                ),
                daemon=True,
            )
            process.start()
            sender.close()
            processes.append(process)
            pipes.append(receiver)
        for receiver in pipes:
            kind, _ = receiver.recv()
            assert kind == "ready"
        started, started_wall = time.monotonic(), time.time()
        start.set()

        notes: list[str] = []
        victim: set[int] = set()
        killed_at = 0.0
        if kill == "poll":
            while True:  # wait until a third is sent and w0 holds a claimed batch
                sent, held = _counts(runtime, "w0")
                if sent >= len(planned_ids) // 3 and held >= BATCH // 2:
                    break
                time.sleep(0.01)
            os.kill(processes[0].pid, signal.SIGKILL)
            killed_at = time.monotonic() - started
            processes[0].join()
        elif kill == "after-post":
            processes[0].join()  # it kills itself right after one of its posts returned
            killed_at = time.monotonic() - started
            sent, _ = _counts(runtime, "w0")
        if kill:
            with runtime.unit_of_work() as session:
                victim = set(
                    session.scalars(
                        select(Delivery.id).where(
                            Delivery.status.in_([DeliveryStatus.CLAIMED, DeliveryStatus.SENDING]),
                            Delivery.claimed_by == "w0",
                        )
                    )
                )
            peer_dead.set()
            notes.append(
                f"w0 SIGKILLed at {killed_at:.1f} s with {sent} rows sent in all; "
                f"it held {len(victim)} claimed rows (lease {LEASE.total_seconds():.0f} s)"
            )

        results: list[WorkerResult] = []
        for index, receiver in enumerate(pipes):
            if kill and index == 0:
                continue
            kind, result = receiver.recv()
            assert kind == "done"
            results.append(result)
        for process in processes:
            process.join()
        wall = max(r.finished_at for r in results) - started

        for result in results:
            jump = (
                f", jumped its clock by LEASE+1 s at {result.jumped_at - started:.1f} s"
                if result.jumped_at is not None
                else ""
            )
            stuck = (
                f", GAVE UP with {result.gave_up_with} rows unfinished"
                if result.gave_up_with
                else ""
            )
            notes.append(
                f"{result.name}: sent {result.sent} in {result.passes} passes "
                f"(+{result.polls} empty polls), done at {result.finished_at - started:.1f} s"
                f"{jump}{stuck}"
            )

        posts = emulator.calls("chat.postMessage")
        for result in results:
            if kill and result.jumped_at is not None:
                alone = result.jumped_at - started - killed_at
                solo = sum(
                    1 for c in posts if c.ok and 0 <= c.at - started_wall - killed_at <= alone
                )
                notes.append(
                    f"{result.name} alone between the kill and its clock jump ({alone:.1f} s): "
                    f"{solo / max(alone, 1e-9):.1f} msg/s (the workspace allows "
                    f"{limits.workspace_rate:g}/s)"
                )
        ok_texts = Counter(c.args.get("text") for c in posts if c.ok)
        expected = {f"note {i}": i for i in planned_ids}
        with runtime.unit_of_work() as session:
            rows = session.execute(
                select(Delivery.id, Delivery.status, Delivery.claimed_by).where(
                    Delivery.kind == KIND
                )
            ).all()
        statuses = Counter(str(status.value) for _, status, _ in rows)
        not_posted = {i for t, i in expected.items() if ok_texts[t] == 0}
        not_sent = {i for i, status, _ in rows if status != DeliveryStatus.SENT}
        if victim:
            taken = sum(1 for i, _, by in rows if i in victim and by != "w0")
            repeated = sum(1 for i in victim if ok_texts[f"note {i}"] > 1)
            notes.append(
                f"of w0's {len(victim)} rows, {taken} were re-claimed and sent by the survivor; "
                f"{repeated} of them had already reached Slack before the kill"
            )
        return RunResult(
            label=label,
            backend=backend_name(url),
            workers=workers,
            messages=len(planned_ids),
            wall=wall,
            floor=floor_seconds(sequence, limits),
            rate_limited=sum(1 for c in posts if c.http_status == 429),
            duplicates=sum(1 for t, n in ok_texts.items() if t in expected and n > 1),
            lost_emulator=len(not_posted),
            lost_table=len(not_sent),
            lost=len(not_posted | not_sent),
            statuses=statuses,
            notes=notes,
        )
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join()
        runtime.close()
        emulator.stop()
        databases.drop(url)


def print_runs(runs: list[RunResult]) -> None:
    header = (
        f"{'run':<26} {'database':<10} {'workers':>7} {'messages':>8} {'wall s':>7} "
        f"{'floor s':>7} {'wall/floor':>10} {'429s':>5} {'duplicates':>10} {'lost':>5}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        print(
            f"{run.label:<26} {run.backend:<10} {run.workers:>7} {run.messages:>8} "
            f"{run.wall:>7.1f} {run.floor:>7.1f} {run.wall / run.floor:>10.2f} "
            f"{run.rate_limited:>5} {run.duplicates:>10} {run.lost:>5}"
        )
    for run in runs:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(run.statuses.items()))
        print(f"\n{run.label} ({run.backend}): deliveries table: {statuses}")
        print(
            f"  lost {run.lost}: never posted with HTTP 200 {run.lost_emulator}, "
            f"not 'sent' in the table {run.lost_table}"
        )
        for note in run.notes:
            print(f"  {note}")


# -- part 2: SQL statements per pass -------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    sql: str
    rows: int = 1  # rows it carries: parameter sets of an executemany, or VALUES tuples
    mode: str = ""  # "executemany" or "multi-row VALUES" (SQLAlchemy's insertmanyvalues)


class StatementLog:
    """Every statement the engine sends (before_cursor_execute); an executemany counts once.

    It also adds up the time between before_ and after_cursor_execute (time in the driver
    and the database), to split a pass's wall time into SQL and Python.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[Statement] = []
        self.sql_seconds = 0.0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(
        self, _conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool
    ) -> None:
        if not many:
            self.statements.append(Statement(sql))
        elif (
            isinstance(params, list | tuple)
            and params
            and isinstance(params[0], dict | list | tuple)
        ):
            self.statements.append(Statement(sql, len(params), "executemany"))
        else:  # one INSERT carrying a batch of rows in its VALUES, flat parameters
            self.statements.append(Statement(sql, sql.count("), (") + 1, "multi-row VALUES"))
        self._started = time.perf_counter()

    def _after(self, *_args: Any) -> None:
        self.sql_seconds += time.perf_counter() - self._started

    @contextmanager
    def counting(self) -> Iterator[list[Statement]]:
        found: list[Statement] = []
        start = len(self.statements)
        yield found
        found.extend(self.statements[start:])

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)


def summarise(statements: list[Statement]) -> str:
    """`SELECT pairs 2, UPDATE deliveries 1 (x1000 rows), ...`: the statements, grouped."""
    labels: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    modes: dict[str, str] = {}
    for statement in statements:
        verb = statement.sql.lstrip().split(None, 1)[0].upper()
        table = _TABLE.search(statement.sql)
        label = f"{verb} {table.group(1)}" if table and verb != "SAVEPOINT" else verb
        labels[label] += 1
        if statement.mode:
            rows[label] += statement.rows
            modes[label] = statement.mode
    return ", ".join(
        f"{label} {count}" + (f" ({modes[label]}, {rows[label]} rows)" if label in modes else "")
        for label, count in labels.items()
    )


def seed_pairs(runtime: Runtime, pairs: int, now: datetime) -> tuple[int, list[int]]:
    """A program with 2 x `pairs` participants (and members) and `pairs` ACTIVE pairs."""
    with runtime.unit_of_work() as session:
        workspace = ensure_workspace(
            session, team_id="TBENCH", name="bench", bot_user_id="UBOT", admin_channel_id=None
        )
        program = Program(
            workspace_id=workspace.id,
            name="Bench cohort",
            status=ProgramStatus.ACTIVE,
            starts_on=now.date() - timedelta(days=30),
            length_weeks=26,
            rotation_weeks=13,
            cadence=Cadence.BIWEEKLY,
            session_minutes=30,
            current_round=1,
        )
        session.add(program)
        session.flush()
        zones = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London")
        members = [
            Member(workspace_id=workspace.id, slack_user_id=f"U{i:09d}", timezone=zones[i % 4])
            for i in range(2 * pairs)
        ]
        session.add_all(members)
        session.flush()
        people = [
            Participant(
                program_id=program.id,
                member_id=member.id,
                role=Role.SENIOR if i % 2 == 0 else Role.JUNIOR,
                department=f"Dept {i % 2}",
                can_share=["ai tools"],
                wants_to_learn=["strategy"],
                languages=["en"],
                avoid_user_ids=[],
                work_start=clock(8 + i % 3),
                work_end=clock(17),
            )
            for i, member in enumerate(members)
        ]
        session.add_all(people)
        session.flush()
        rows = [
            Pair(
                program_id=program.id,
                round=1,
                senior_id=people[2 * i].id,
                junior_id=people[2 * i + 1].id,
                status=PairStatus.ACTIVE,
                dm_channel_id=f"GBENCH{i:06d}",
                started_at=now - timedelta(days=3 + i % 20),
            )
            for i in range(pairs)
        ]
        session.add_all(rows)
        session.flush()
        return workspace.id, [pair.id for pair in rows]


class RecordingGateway(SlackGateway):
    """A gateway that answers chat.postMessage at once and notes when the first one came."""

    def __init__(self, on_first_post: Callable[[], None]) -> None:
        super().__init__(client=None)  # type: ignore[arg-type]
        self._on_first_post: Callable[[], None] | None = on_first_post
        self.posted = 0

    def post_message(
        self, *, channel: str, text: str, blocks: Sequence[dict[str, Any]] | None = None
    ) -> PostedMessage:
        if self._on_first_post is not None:
            self._on_first_post()
            self._on_first_post = None
        self.posted += 1
        return PostedMessage(channel=channel, ts=f"{1_700_000_000 + self.posted}.000100")


@dataclass
class StatementFigures:
    backend: str
    pairs: int
    first_pass: list[Statement]
    first_pass_seconds: float
    first_pass_sql_seconds: float
    repeat_pass: list[Statement]
    moved_pass: list[Statement]
    moved: int
    claim_render: list[Statement]
    per_message: float
    sent: int


def count_statements(databases: Databases, backend: str, pairs: int) -> StatementFigures:
    url = databases.fresh(backend)
    runtime = build_runtime(settings_for(url))
    try:
        now = datetime.now(UTC)
        workspace_id, pair_ids = seed_pairs(runtime, pairs, now)
        log = StatementLog(runtime.engine)

        with log.counting() as first_pass, runtime.unit_of_work() as session:
            started, sql_before = time.perf_counter(), log.sql_seconds
            plan_rhythm(session, now=now)
        first_seconds = time.perf_counter() - started
        first_sql_seconds = log.sql_seconds - sql_before
        with log.counting() as repeat_pass, runtime.unit_of_work() as session:
            plan_rhythm(session, now=now)

        # A tenth of the pairs pick a session time: their agendas move to just before it.
        moved = pair_ids[::10]
        with runtime.unit_of_work() as session:
            session.add_all(
                MentoringSession(pair_id=pair_id, scheduled_at=now + timedelta(hours=26))
                for pair_id in moved
            )
        with log.counting() as moved_pass, runtime.unit_of_work() as session:
            plan_rhythm(session, now=now)

        # One send_due batch of `pairs` rows, one note per pair (render loads pair details).
        with runtime.unit_of_work() as session:
            plan_many(
                session,
                [
                    {
                        "workspace_id": workspace_id,
                        "kind": KIND,
                        "unique_key": delivery_key(KIND, period="bench", pair_id=pair_id),
                        "pair_id": pair_id,
                        "period": "bench",
                        "due_at": now - timedelta(minutes=1),
                        "payload": {"channel": f"GBENCH{i:06d}"},
                    }
                    for i, pair_id in enumerate(pair_ids)
                ],
                now=now,
            )
        marks: list[int] = []
        runtime.gateway = RecordingGateway(lambda: marks.append(len(log.statements)))
        runtime.pacing = UNLIMITED
        with log.counting() as whole:
            before = len(log.statements)
            sent = send_due(runtime, now, RENDERERS, limit=pairs, worker="counter")
        claim_render = whole[: marks[0] - before] if marks else whole
        log.close()
        return StatementFigures(
            backend=backend,
            pairs=pairs,
            first_pass=first_pass,
            first_pass_seconds=first_seconds,
            first_pass_sql_seconds=first_sql_seconds,
            repeat_pass=repeat_pass,
            moved_pass=moved_pass,
            moved=len(moved),
            claim_render=claim_render,
            per_message=(len(whole) - len(claim_render)) / max(1, sent),
            sent=sent,
        )
    finally:
        runtime.close()
        databases.drop(url)


def print_statements(figures: list[StatementFigures]) -> None:
    columns = [f"{f.backend} {f.pairs}" for f in figures]
    width = max(16, *(len(c) + 2 for c in columns))
    print(f"{'':<46}" + "".join(f"{c:>{width}}" for c in columns))

    def row(label: str, values: list[str]) -> None:
        print(f"{label:<46}" + "".join(f"{v:>{width}}" for v in values))

    row("plan_rhythm, first pass: statements", [str(len(f.first_pass)) for f in figures])
    row("plan_rhythm, first pass: wall time", [f"{f.first_pass_seconds:.3f} s" for f in figures])
    row(
        "  of which in SQL (driver + database)",
        [f"{f.first_pass_sql_seconds:.3f} s" for f in figures],
    )
    row("plan_rhythm, repeat pass: statements", [str(len(f.repeat_pass)) for f in figures])
    row(
        "plan_rhythm, after 10% picked a time: stmts",
        [f"{len(f.moved_pass)} ({f.moved} moved)" for f in figures],
    )
    row(
        "send_due claim+render (batch = pairs): stmts",
        [f"{len(f.claim_render)} ({f.sent} rows)" for f in figures],
    )
    row("send_due, statements per sent message", [f"{f.per_message:.1f}" for f in figures])
    print("\nwhat the statements were (first pass | repeat | after 10% picked | claim+render):")
    for f in figures:
        print(f"  {f.backend} {f.pairs} pairs")
        print(f"    first pass:    {summarise(f.first_pass)}")
        print(f"    repeat pass:   {summarise(f.repeat_pass)}")
        print(f"    after moves:   {summarise(f.moved_pass)}")
        print(f"    claim+render:  {summarise(f.claim_render)}")


# -- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--workspace-rate", type=float, default=50.0, help="messages/s")
    parser.add_argument("--workspace-burst", type=float, default=10.0)
    parser.add_argument("--hot-channels", type=int, default=5)
    parser.add_argument("--postgres-url", default=POSTGRES_ADMIN_URL, help="maintenance db URL")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite runs")
    parser.add_argument("--pairs", type=int, nargs=2, default=[100, 1000], metavar=("A", "B"))
    parser.add_argument(
        "--kill-after-post",
        action="store_true",
        help="add a run whose w0 SIGKILLs itself right after a post returns, before it is recorded",
    )
    parser.add_argument("--no-statements", action="store_true", help="skip the SQL counts")
    args = parser.parse_args()
    configure_logging(logging.WARNING)

    limits = Limits(workspace_rate=args.workspace_rate, workspace_burst=args.workspace_burst)
    per_hot = max(2, int(0.75 * args.messages / args.workspace_rate))
    sequence = channel_sequence(args.messages, args.hot_channels, per_hot)
    per_channel = Counter(sequence)
    floor = floor_seconds(sequence, limits)
    print("== outbox sending under Slack-like rate limits (bench/bench_deliveries.py)")
    print(
        f"{len(sequence)} due '{KIND}' rows to {len(per_channel)} channels: "
        f"{args.hot_channels} channels get {max(per_channel.values())} each, "
        f"the others {min(per_channel.values())}-{sorted(per_channel.values())[-args.hot_channels - 1]}"
    )
    print(
        f"emulator limits: {limits.channel_rate:g} msg/s per channel (burst {limits.channel_burst:g}), "
        f"workspace {limits.workspace_rate:g}/s (burst {limits.workspace_burst:g}); app pacing "
        f"Pacing(channel_interval={1 / limits.channel_rate:g}, "
        f"workspace_per_second={limits.workspace_rate:g}, workspace_burst={limits.workspace_burst:g})"
    )
    print(
        f"floor = max({len(sequence)} / {limits.workspace_rate:g}/s, busiest channel "
        f"{max(per_channel.values())} / {limits.channel_rate:g}/s) = {floor:.1f} s; workers are "
        f"spawned processes looping send_due(limit={BATCH}) until no row is planned or claimed"
    )
    print(
        f"kill run: w0 gets SIGKILL once a third is sent and it holds >= {BATCH // 2} claimed "
        f"rows; the survivor "
        f"keeps real time until it finds nothing to claim while rows are still leased to w0, "
        f"then passes now = real now + LEASE ({LEASE.total_seconds():.0f} s) + 1 s, as a worker "
        f"would after the lease runs out (instead of waiting {LEASE.total_seconds() / 60:.0f} min)"
    )
    print()

    databases = Databases(args.postgres_url)
    try:
        plans = []
        if databases.has_postgres:
            plans += [
                ("1 worker", "postgresql", 1, None),
                ("2 workers", "postgresql", 2, None),
                ("2 workers, 1 SIGKILLed", "postgresql", 2, "poll"),
            ]
            if args.kill_after_post:
                plans.append(("2 w., 1 killed after post", "postgresql", 2, "after-post"))
        if not args.no_sqlite:
            plans.append(("1 worker", "sqlite", 1, None))
        runs = []
        for label, backend, workers, kill in plans:
            print(f"running: {label} on {backend} ...", flush=True)
            runs.append(
                run_delivery(
                    databases,
                    label=label,
                    backend=backend,
                    workers=workers,
                    sequence=sequence,
                    limits=limits,
                    kill=kill,
                )
            )
        print()
        print_runs(runs)

        if args.no_statements:
            return
        print("\n== SQL statements per pass (before_cursor_execute; an executemany counts once)")
        print(
            "each size on a fresh database: a program, 2 x pairs participants with members, "
            "ACTIVE pairs with started_at and dm_channel_id; then one note per pair for send_due"
        )
        backends = (["postgresql"] if databases.has_postgres else []) + (
            [] if args.no_sqlite else ["sqlite"]
        )
        figures = [
            count_statements(databases, backend, pairs)
            for backend in backends
            for pairs in args.pairs
        ]
        print_statements(figures)
    finally:
        databases.close()


if __name__ == "__main__":
    main()
