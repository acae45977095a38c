"""The log as an operator reads it: `twoway run` as a real process, its stderr parsed line by line.

Every line is one JSON object; each request line has the real status and a measured duration;
an unexpected error carries its stack; a database error never carries the row or the
parameters it was refused with (they can hold what people wrote).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.config import Settings
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.slack_emulator import SlackEmulator
from bot.views.goals import GoalIds
from bot.views.pairs import PairIds
from handlers import discover_features
from tests.conftest import ADMIN_CHANNEL, BOT_TOKEN, COORDINATOR, SIGNING_SECRET
from tests.support.cli import free_port, wait_until_serving
from tests.support.factories import active_pair, days_from_today, make_program
from tests.support.interactions import click, picked_date, submit_view
from tests.support.interactions import text as text_input
from tests.support.slack_requests import SlackRequests

TWOWAY = str(Path(sys.executable).with_name("twoway"))
SECRET = "SECRET-TEXT-123"
JUNIOR = ("U0LOGJUN01", "Europe/Berlin", 8, 18)
SENIOR = ("U0LOGSEN01", "America/New_York", 8, 18)


def _env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TWOWAY_"))}
    keep.pop("DATABASE_URL", None)
    keep.pop("PORT", None)
    return keep | values


def _records(stderr: str) -> list[dict[str, Any]]:
    """Every line of the log as a JSON object; fails on any line that is not exactly one."""
    records = []
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"not one JSON object per line: {line[:300]!r}")
        assert isinstance(record, dict), line[:300]
        records.append(record)
    return records


CONCURRENT_WRITERS = textwrap.dedent(
    """
    import logging, sys, threading
    from bot.logging import configure_logging, get_logger

    configure_logging()
    ours, library = get_logger("twoway.load"), logging.getLogger("slack_bolt.App")
    start = threading.Barrier(20)
    padding = "x" * 300

    def write(thread: int) -> None:
        start.wait()
        for n in range(200):
            if n % 2:
                ours.info("load.line", thread=thread, n=n, padding=padding)
            else:
                library.warning("library line %d %d %s", thread, n, padding)

    threads = [threading.Thread(target=write, args=(t,)) for t in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    """
)


def test_concurrent_writers_never_share_a_line(tmp_path: Path) -> None:
    """20 threads x 200 lines, structlog and a library's stdlib logger mixed: 4,000 whole lines."""
    result = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITERS],
        cwd=Path(__file__).resolve().parent.parent,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records = _records(result.stderr)
    seen = set()
    for record in records:
        if record["event"] == "load.line":
            seen.add((record["thread"], record["n"]))
        else:
            _, _, thread, n, _ = record["event"].split(" ")
            seen.add((int(thread), int(n)))
    assert len(records) == 4000
    assert seen == {(t, n) for t in range(20) for n in range(200)}


DATABASE_REFUSALS = textwrap.dedent(
    """
    import logging, os
    from sqlalchemy import create_engine, text
    from bot.logging import configure_logging, get_logger

    configure_logging()
    ours, library = get_logger("twoway.probe"), logging.getLogger("apscheduler.executors")
    engine = create_engine(os.environ["PROBE_DATABASE_URL"])
    postgres = engine.dialect.name == "postgresql"
    cases = [
        ("INSERT INTO log_probe (x) VALUES (:v)", "SECRET-TEXT-123 check"),
        ("INSERT INTO log_probe (x) VALUES (:v)", "SECRET-TEXT-123\\n[SQL: x\\nDETAIL: y"),
        ("INSERT INTO log_probe (u) VALUES (:v)", "SECRET-TEXT-123 taken"),
        ("INSERT INTO log_probe (x, nn) VALUES (:v, NULL)", "SECRET-TEXT-123 null"),
    ]
    if postgres:
        cases += [
            ("INSERT INTO log_probe (s) VALUES (:v)", "SECRET-TEXT-123 too long"),
            ("INSERT INTO log_probe (n) VALUES (CAST(:v AS integer))", "SECRET-TEXT-123"),
        ]
    with engine.begin() as connection:
        connection.execute(text(
            "CREATE TABLE log_probe (x TEXT CONSTRAINT probe_x CHECK (x NOT LIKE '%check%'"
            " AND x NOT LIKE '%DETAIL%'), u TEXT CONSTRAINT probe_u UNIQUE,"
            " s VARCHAR(5), n INTEGER, nn TEXT NOT NULL DEFAULT 'a')"
        ))
        connection.execute(text("INSERT INTO log_probe (u) VALUES ('SECRET-TEXT-123 taken')"))
    for statement, value in cases:
        try:
            with engine.begin() as connection:
                connection.execute(text(statement), {"v": value})
        except Exception as error:
            ours.error("probe.refused", exc_info=error)
            library.exception(f"Job raised an exception: {error}")
    """
)


def test_database_errors_keep_their_names_and_lose_their_values(
    database_url: str, tmp_path: Path
) -> None:
    """Refused rows, through our logger and a library's: the constraint shows, the row never."""
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_REFUSALS],
        cwd=Path(__file__).resolve().parent.parent,
        env=_env(PROBE_DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    records = _records(result.stderr)
    postgres = database_url.startswith("postgresql")
    assert len(records) == 2 * (6 if postgres else 4)
    assert all(r["exception"].startswith("Traceback") for r in records)
    assert all("[SQL: INSERT INTO log_probe" in r["exception"] for r in records)
    assert "probe_x" in result.stderr
    assert "probe_u" in result.stderr or "log_probe.u" in result.stderr
    assert SECRET not in result.stderr


# -- the app as a process ---------------------------------------------------------------


@pytest.fixture
def pair_with_goals_refused(database_url: str, emulator: SlackEmulator) -> tuple[int, str]:
    """An active pair, and a database that refuses any goal whose text carries the marker.

    The refusal is a real constraint of the real database (a CHECK on PostgreSQL, a trigger
    on SQLite): the way an unforeseen constraint violation reaches the app in production.
    """
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database_url,
        TWOWAY_SCHEDULER="off",
    )
    runtime: Runtime = build_runtime(settings, features=discover_features())
    bootstrap_workspace(runtime)
    program_id = make_program(runtime, name="Logged program")
    pair = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=JUNIOR,
        senior=SENIOR,
        started_at=datetime.now(UTC),
    )
    runtime.close()
    engine = create_engine(database_url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text(
                    "ALTER TABLE goals ADD CONSTRAINT refuses_marked_text "
                    f"CHECK (text NOT LIKE '%{SECRET}%')"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE TRIGGER refuses_marked_text BEFORE INSERT ON goals "
                    f"WHEN NEW.text LIKE '%{SECRET}%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by refuses_marked_text'); END"
                )
            )
    engine.dispose()
    return pair


@pytest.fixture
def served_log(
    database_url: str, emulator: SlackEmulator, tmp_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`twoway run` serving HTTP on a free port; yields its base URL and the process."""
    port = free_port()
    env = _env(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url,
        PORT=str(port),
        TWOWAY_SCHEDULER="off",
        TWOWAY_COORDINATORS=COORDINATOR,
        TWOWAY_ADMIN_CHANNEL=ADMIN_CHANNEL,
    )
    process = subprocess.Popen(
        [TWOWAY, "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, process)
        yield base_url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=15)


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    _, stderr = process.communicate(timeout=15)
    return stderr.decode()


def _goal_values(goal_text: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    target = days_from_today(60).isoformat()
    for index in range(3):
        first = index == 0
        values[f"{GoalIds.TEXT}-{index}"] = text_input(GoalIds.TEXT, goal_text if first else "")
        values[f"{GoalIds.INDICATOR}-{index}"] = text_input(
            GoalIds.INDICATOR, f"{SECRET} indicator" if first else ""
        )
        values[f"{GoalIds.TARGET}-{index}"] = picked_date(GoalIds.TARGET, target if first else None)
    return values


def test_requests_errors_and_database_details_in_the_log(
    pair_with_goals_refused: tuple[int, str],
    served_log: tuple[str, subprocess.Popen[bytes]],
    emulator: SlackEmulator,
) -> None:
    pair_id, dm = pair_with_goals_refused
    base_url, process = served_log
    slack = SlackRequests(base_url, SIGNING_SECRET, emulator.response_url())
    try:
        assert slack.command("help", user=JUNIOR[0]).status_code == 200
        click(slack, user=JUNIOR[0], action_id=PairIds.OPEN_GOALS, value=str(pair_id), channel=dm)
        call = emulator.wait_for("views.open", 1)[-1]
        refused = submit_view(
            slack,
            user=JUNIOR[0],
            view=call.json("view"),
            view_id=call.response["view"]["id"],
            values=_goal_values(f"Coach Sam {SECRET} on AI tools"),
        )
    finally:
        slack.close()
    # The person is told, in words, with an error id; never the stack or the row.
    assert refused.status_code == 200
    modal = json.dumps(refused.json())
    assert "error id" in modal
    assert SECRET not in modal
    assert "Traceback" not in modal

    stderr = _stop(process)
    records = _records(stderr)
    requests = [r for r in records if r["event"] == "slack.request"]
    assert [(r.get("kind"), r.get("status")) for r in requests] == [
        ("slash_command", 200),
        ("block_actions", 200),
        ("view_submission", 200),
    ]
    assert all(r["duration_ms"] > 0 for r in requests)
    assert requests[0]["command"] == "/mentor"
    assert requests[2]["callback_id"] == GoalIds.CALLBACK

    [failed] = [r for r in records if r["event"] == "request.failed"]
    assert failed["level"] == "error"
    assert failed["error"] == "IntegrityError"
    stack = failed["exception"]
    assert stack.startswith("Traceback (most recent call last):")
    assert "bot/flows/goals.py" in stack  # the frames, not only the message
    assert "sqlalchemy.exc.IntegrityError" in stack
    assert "refuses_marked_text" in stack  # which constraint refused stays readable
    assert SECRET not in stderr  # neither the failing row nor the parameters
