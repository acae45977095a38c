"""The app driven from the outside: signed HTTP requests in, Slack Web API calls out."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import structlog
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy import func, select, text

from bot.slack_emulator import SlackEmulator
from models import ProcessedRequest
from tests.support.app_server import AppServer
from tests.support.databases import postgres_admin_engine
from tests.support.slack_requests import SlackRequests


def _processed_count(app_server: AppServer) -> int:
    with app_server.runtime.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(ProcessedRequest)) or 0


def test_help_command_answers_with_ephemeral_blocks(slack: SlackRequests) -> None:
    response = slack.command("help")
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    rendered = str(body["blocks"])
    assert "/mentor help" in rendered
    for block in body["blocks"]:
        Block.parse(block).validate_json()  # Slack's own models accept every block


@pytest.mark.parametrize("text", ["", "   ", "frobnicate now"])
def test_empty_or_unknown_subcommand_gets_help(slack: SlackRequests, text: str) -> None:
    body = slack.command(text).json()
    assert body["response_type"] == "ephemeral"
    assert "/mentor help" in str(body["blocks"])
    if text.strip():
        assert "I don't know `/mentor frobnicate now`" in str(body["blocks"])


def test_bad_signature_is_refused_without_side_effects(
    slack: SlackRequests, app_server: AppServer, emulator: SlackEmulator
) -> None:
    emulator.clear_calls()
    before = _processed_count(app_server)
    forged = slack.event(
        {"type": "app_home_opened", "user": "U0JUNIOR01", "tab": "home"},
    )
    assert forged.status_code == 200  # control: a valid one goes through
    emulator.wait_for("views.publish")
    emulator.clear_calls()

    body = '{"type":"event_callback","event_id":"EvFORGED","team_id":"T0TWOWAY1","event":{"type":"app_home_opened","user":"U0JUNIOR01","tab":"home"}}'
    bad = slack.post(body, content_type="application/json", signature="v0=" + "0" * 64)
    assert bad.status_code == 401
    app_server.wait_idle()
    assert emulator.calls() == []
    assert _processed_count(app_server) == before + 1  # only the valid event was recorded


def test_stale_timestamp_is_refused(slack: SlackRequests, emulator: SlackEmulator) -> None:
    six_minutes_ago = int(time.time()) - 360
    response = slack.command("help", timestamp=six_minutes_ago)
    assert response.status_code == 401  # signed correctly, but for a time over 5 minutes ago
    assert emulator.responses() == []


def test_home_tab_publishes_a_valid_view(slack: SlackRequests, emulator: SlackEmulator) -> None:
    response = slack.event({"type": "app_home_opened", "user": "U0JUNIOR01", "tab": "home"})
    assert response.status_code == 200
    (call,) = emulator.wait_for("views.publish")
    assert call.args["user_id"] == "U0JUNIOR01"
    view = call.json("view")
    assert view["type"] == "home"
    View(**view).validate_json()
    assert "reverse-mentoring" in str(view["blocks"])


def test_messages_tab_does_not_publish(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    slack.event({"type": "app_home_opened", "user": "U0JUNIOR01", "tab": "messages"})
    slack.event({"type": "app_home_opened", "user": "U0SENIOR01", "tab": "home"})
    app_server.wait_idle()
    calls = emulator.calls("views.publish")
    assert [c.args["user_id"] for c in emulator.calls("views.publish")] == ["U0SENIOR01"]
    assert len(calls) == 1


def test_event_retried_by_slack_changes_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    event = {"type": "app_home_opened", "user": "U0JUNIOR01", "tab": "home"}
    first = slack.event(event, event_id="Ev0RETRY001")
    emulator.wait_for("views.publish")
    retry = slack.event(event, event_id="Ev0RETRY001", retry_num=1)
    second_retry = slack.event(event, event_id="Ev0RETRY001", retry_num=2)
    assert (first.status_code, retry.status_code, second_retry.status_code) == (200, 200, 200)
    app_server.wait_idle()
    assert len(emulator.calls("views.publish")) == 1
    assert _processed_count(app_server) == 1


def test_healthz_is_ok_while_the_database_answers(app_server: AppServer) -> None:
    response = httpx.get(app_server.base_url + "/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "reachable"


def test_healthz_is_503_when_the_database_is_gone(app_server: AppServer) -> None:
    url = app_server.runtime.settings.database_url
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.mkdir()  # a directory where the file was: SQLite cannot open it
    else:
        admin = postgres_admin_engine()
        assert admin is not None
        with admin.connect() as connection:
            name = url.rsplit("/", 1)[1]
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    response = httpx.get(app_server.base_url + "/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_logs_carry_ids_but_never_user_text_or_tokens(slack: SlackRequests) -> None:
    with structlog.testing.capture_logs() as logs:
        slack.command("my manager is a secret-phrase-42", user="U0JUNIOR01")
    request_logs = [entry for entry in logs if entry["event"] == "slack.request"]
    assert request_logs
    assert request_logs[0]["user_id"] == "U0JUNIOR01"
    assert request_logs[0]["command"] == "/mentor"
    flat = repr(logs)
    assert "secret-phrase-42" not in flat
    assert "xoxb-" not in flat


def test_coordinators_also_see_admin_commands(slack: SlackRequests) -> None:
    participant = str(slack.command("help", user="U0JUNIOR01").json()["blocks"])
    coordinator = str(slack.command("help", user="U0COORD001").json()["blocks"])
    assert "admin match" not in participant
    assert "/mentor admin match [program]" in coordinator
    assert "/mentor join [program]" in participant
