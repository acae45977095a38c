"""`twoway run` meeting a Slack it cannot use: one line that says what to check, no traceback."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from bot.slack_emulator import SlackEmulator
from tests.conftest import BOT_TOKEN
from tests.support.cli import TWOWAY, cli_env, plain_lines, run_cli
from tests.support.socket_app import SocketSlack


def _closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_rejected_app_token_names_slack_app_token(
    emulator: SlackEmulator, tmp_path: Path
) -> None:
    """One line, no traceback; and Bolt, built before the connection, read nothing from the
    environment behind twoway's settings: no "token will be unused" warning, and no OAuth
    flow switched on because SLACK_CLIENT_ID/SECRET happen to be set."""
    emulator.fail("apps.connections.open", "invalid_auth")
    result = run_cli(
        [*TWOWAY, "run"],
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path}/t.db",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN="xapp-1-rejected",
        SLACK_API_URL=emulator.api_url,
        SLACK_CLIENT_ID="1234.5678",
        SLACK_CLIENT_SECRET="not-twoways",
        TWOWAY_SCHEDULER="off",
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = plain_lines(result.stderr)
    assert "invalid_auth" in line
    assert "SLACK_APP_TOKEN" in line
    assert "xapp-1-rejected" not in result.stderr
    assert [call.method for call in emulator.calls()] == ["auth.test", "apps.connections.open"]
    assert "will be unused" not in result.stderr
    assert "will be ignored" not in result.stderr  # Bolt's words when its OAuth flow takes over


def test_unreachable_slack_is_named_unreachable_not_refused(tmp_path: Path) -> None:
    api_url = f"http://127.0.0.1:{_closed_port()}/api/"
    result = run_cli(
        [*TWOWAY, "run"],
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path}/t.db",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=api_url,
        TWOWAY_SCHEDULER="off",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = plain_lines(result.stderr)
    assert line.startswith(f"Slack could not be reached at {api_url}")
    assert "refused the bot token" not in line
    assert "SLACK_API_URL" in line


def test_run_in_socket_mode_connects_then_answers(emulator: SlackEmulator, tmp_path: Path) -> None:
    """The happy path of the same start-up: connected first, `bot.start` logged after."""
    env = cli_env(
        DATABASE_URL=f"sqlite:///{tmp_path}/t.db",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=emulator.app_token,
        SLACK_API_URL=emulator.api_url,
        TWOWAY_SCHEDULER="off",
    )
    process = subprocess.Popen(
        [*TWOWAY, "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        emulator.socket_mode.wait_for_connections(1, timeout=60)
        answer = SocketSlack(emulator.socket_mode, emulator.response_url()).command("help")
        assert "/mentor help" in str(answer.json()["blocks"])
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    log_text = stderr.decode()
    assert '"mode": "socket"' in log_text
    assert emulator.app_token not in log_text
