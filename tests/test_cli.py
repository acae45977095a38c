"""The `twoway` CLI as an operator runs it: real processes, real exit codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bot.slack_emulator import SlackEmulator
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.cli import PYTHON_APP, TWOWAY, cli_env, free_port, run_cli, wait_until_serving
from tests.support.slack_requests import SlackRequests


@pytest.mark.parametrize("entry", [TWOWAY, PYTHON_APP], ids=["console-script", "python-app-py"])
def test_help_lists_the_commands(entry: list[str], tmp_path: Path) -> None:
    result = run_cli([*entry, "--help"], tmp_path)
    assert result.returncode == 0
    for verb in ("run", "worker", "tick", "db"):
        assert verb in result.stdout
    db_help = run_cli([*entry, "db", "--help"], tmp_path)
    assert "upgrade" in db_help.stdout
    assert "downgrade" in db_help.stdout


def test_run_without_tokens_explains_the_manifest_and_exits_non_zero(tmp_path: Path) -> None:
    result = run_cli([*TWOWAY, "run"], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/t.db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "manifest.yml" in result.stderr
    assert not (tmp_path / "t.db").exists()  # the README: nothing migrated without tokens
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        assert name in result.stderr


def test_invalid_setting_stops_with_one_line(tmp_path: Path) -> None:
    result = run_cli([*TWOWAY, "run"], tmp_path, DATABASE_URL="mysql://nope")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "invalid configuration: DATABASE_URL must be a sqlite:/// or postgresql:// URL"
    ]


def test_unreachable_database_is_one_clear_line(tmp_path: Path, emulator: SlackEmulator) -> None:
    result = run_cli(
        [*TWOWAY, "tick"],
        tmp_path,
        DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere",
        SLACK_API_URL=emulator.api_url,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "database unavailable" in result.stderr


def test_db_upgrade_and_downgrade(empty_database_url: str, tmp_path: Path) -> None:
    up = run_cli([*TWOWAY, "db", "upgrade"], tmp_path, DATABASE_URL=empty_database_url)
    assert up.returncode == 0, up.stderr
    check = run_cli([*TWOWAY, "db", "check"], tmp_path, DATABASE_URL=empty_database_url)
    assert check.returncode == 0, check.stderr
    engine = create_engine(empty_database_url)
    assert "programs" in inspect(engine).get_table_names()
    down = run_cli([*TWOWAY, "db", "downgrade", "base"], tmp_path, DATABASE_URL=empty_database_url)
    assert down.returncode == 0, down.stderr
    assert "programs" not in inspect(engine).get_table_names()
    engine.dispose()


def test_tick_runs_one_pass_at_the_given_instant(
    database_url: str, emulator: SlackEmulator, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": emulator.api_url,
    }
    result = run_cli([*TWOWAY, "tick", "--now", "2026-03-02T09:00:00+01:00"], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert "tick at 2026-03-02T09:00:00+01:00" in result.stdout
    again = run_cli([*TWOWAY, "tick", "--now", "2026-03-02T09:00:00+01:00"], tmp_path, **env)
    assert again.returncode == 0
    assert emulator.calls("chat.postMessage") == []  # nothing is due yet
    bad = run_cli([*TWOWAY, "tick", "--now", "next tuesday"], tmp_path, **env)
    assert bad.returncode == 2
    assert "--now must be an ISO-8601 instant" in bad.stderr


def test_run_serves_http_with_uvicorn(
    database_url: str, emulator: SlackEmulator, tmp_path: Path
) -> None:
    port = free_port()
    env = cli_env(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url,
        PORT=str(port),
        TWOWAY_SCHEDULER="on",
    )
    process = subprocess.Popen(
        [*TWOWAY, "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, process)
        slack = SlackRequests(base_url, SIGNING_SECRET, emulator.response_url())
        response = slack.command("help")
        slack.close()
        assert response.status_code == 200
        assert "/mentor help" in str(response.json()["blocks"])
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    log_text = stderr.decode()
    assert '"event": "bot.start"' in log_text
    assert '"mode": "http"' in log_text
    assert BOT_TOKEN not in log_text
    assert "will be unused" not in log_text  # Bolt gets the client, not the env's token too


def test_deliveries_lists_rows_with_their_reasons(database_url: str, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.clock import SystemClock
    from bot.db import make_engine, make_session_factory, unit_of_work
    from bot.services.deliveries import mark_failed, plan_delivery
    from bot.services.workspaces import ensure_workspace
    from models import Delivery

    engine = make_engine(database_url)
    with unit_of_work(make_session_factory(engine, clock=SystemClock())) as session:
        workspace = ensure_workspace(
            session, team_id="T1", name=None, bot_user_id=None, admin_channel_id=None
        )
        for period in ("a", "b"):
            plan_delivery(
                session,
                workspace_id=workspace.id,
                kind="session_nudge",
                period=period,
                due_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
                pair_id=None,
                program_id=1,
            )
        session.flush()
        first = session.query(Delivery).filter(Delivery.period == "a").one()
        mark_failed(session, first, error="chat.postMessage: is_archived")
    engine.dispose()
    everything = run_cli([*TWOWAY, "deliveries"], tmp_path, DATABASE_URL=database_url)
    assert everything.returncode == 0, everything.stderr
    assert "failed: 1, planned: 1" in everything.stdout
    failed = run_cli(
        [*TWOWAY, "deliveries", "--status", "failed"], tmp_path, DATABASE_URL=database_url
    )
    lines = failed.stdout.strip().splitlines()[1:]
    assert len(lines) == 1
    assert "chat.postMessage: is_archived" in lines[0]
    bad = run_cli([*TWOWAY, "deliveries", "--status", "lost"], tmp_path, DATABASE_URL=database_url)
    assert bad.returncode == 2
    assert "--status must be one of" in bad.stderr
