"""The Slack gateway against the emulator: retries, typed errors and DM caching."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from bot.clock import SystemClock
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.services.workspaces import ensure_workspace
from bot.slack.dm_cache import DatabaseDmChannelCache
from bot.slack.errors import (
    ChannelGone,
    SlackRequestRejected,
    SlackUnavailable,
    TokenRevoked,
    UserGone,
)
from bot.slack.gateway import RetryPolicy, SlackGateway, build_web_client
from bot.slack_emulator import SlackEmulator
from tests.conftest import BOT_TOKEN

FAST = RetryPolicy(backoff_factor=0.01, jitter=0.01)


@pytest.fixture
def gateway(emulator: SlackEmulator) -> SlackGateway:
    return SlackGateway(build_web_client(token=BOT_TOKEN, base_url=emulator.api_url, retry=FAST))


def test_post_message_returns_channel_and_ts(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    posted = gateway.post_message(channel="C0GENERAL1", text="hello")
    (call,) = emulator.calls("chat.postMessage")
    assert call.args["channel"] == "C0GENERAL1"
    assert posted.channel == "C0GENERAL1"
    assert float(posted.ts) > 0


def test_rate_limit_waits_retry_after_then_succeeds(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    emulator.rate_limit("chat.postMessage", retry_after=1, times=1)
    started = time.monotonic()
    gateway.post_message(channel="C0GENERAL1", text="hello")
    waited = time.monotonic() - started
    calls = emulator.calls("chat.postMessage")
    assert [c.http_status for c in calls] == [429, 200]
    assert waited >= 0.9  # Retry-After: 1 was honoured


def test_server_errors_are_retried_with_backoff(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    emulator.server_error("chat.postMessage", status=503, times=2)
    gateway.post_message(channel="C0GENERAL1", text="hello")
    assert [c.http_status for c in emulator.calls("chat.postMessage")] == [503, 503, 200]


def test_endless_server_errors_give_up_as_unavailable(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    emulator.server_error("chat.postMessage", status=500, times=50)
    with pytest.raises(SlackUnavailable) as caught:
        gateway.post_message(channel="C0GENERAL1", text="hello")
    assert caught.value.permanent is False
    assert len(emulator.calls("chat.postMessage")) == 1 + FAST.server_error_retries


def test_rate_limit_beyond_the_retry_budget_is_unavailable(emulator: SlackEmulator) -> None:
    client = build_web_client(
        token=BOT_TOKEN, base_url=emulator.api_url, retry=RetryPolicy(rate_limit_retries=1)
    )
    emulator.rate_limit("chat.postMessage", retry_after=1, times=5)
    with pytest.raises(SlackUnavailable) as caught:
        SlackGateway(client).post_message(channel="C0GENERAL1", text="hello")
    assert caught.value.code == "ratelimited"
    assert len(emulator.calls("chat.postMessage")) == 2


@pytest.mark.parametrize(
    ("error", "expected", "scope"),
    [
        ("is_archived", ChannelGone, "channel"),
        ("channel_not_found", ChannelGone, "channel"),
        ("not_in_channel", ChannelGone, "channel"),
        ("user_disabled", UserGone, "user"),
        ("token_revoked", TokenRevoked, "workspace"),
        ("account_inactive", TokenRevoked, "workspace"),
        ("invalid_blocks", SlackRequestRejected, "call"),
    ],
)
def test_error_codes_become_typed_errors_without_retrying(
    gateway: SlackGateway, emulator: SlackEmulator, error: str, expected: type, scope: str
) -> None:
    emulator.fail("chat.postMessage", error=error)
    with pytest.raises(expected) as caught:
        gateway.post_message(channel="C0GENERAL1", text="hello")
    assert caught.value.code == error
    assert caught.value.scope == scope
    assert len(emulator.calls("chat.postMessage")) == 1  # permanent: no retry


def test_deactivated_user_is_user_gone(gateway: SlackGateway, emulator: SlackEmulator) -> None:
    emulator.deactivate_user("U0SENIOR01")
    with pytest.raises(UserGone):
        gateway.open_dm(["U0SENIOR01", "U0JUNIOR01"])


def test_unknown_user_is_user_gone(gateway: SlackGateway) -> None:
    with pytest.raises(UserGone):
        gateway.user_info("U0NOBODY00")


def test_revoked_token_is_token_revoked(gateway: SlackGateway, emulator: SlackEmulator) -> None:
    emulator.revoke_token()
    with pytest.raises(TokenRevoked):
        gateway.auth_test()


def test_unreachable_slack_is_unavailable_after_connection_retries() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    client = build_web_client(
        token=BOT_TOKEN, base_url=f"http://127.0.0.1:{port}/api/", retry=FAST, timeout=2
    )
    with pytest.raises(SlackUnavailable) as caught:
        SlackGateway(client).post_message(channel="C1", text="hi")
    assert caught.value.code == "connection_error"


def test_a_post_whose_answer_is_lost_is_not_sent_again(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    """Slack posted it and the connection broke on the way back: retrying would post twice,
    so the gateway reports it (the outbox then settles the row by its kind's policy)."""
    emulator.cut_after("chat.postMessage")
    with pytest.raises(SlackUnavailable) as caught:
        gateway.post_message(channel="C0GENERAL1", text="once")
    assert caught.value.code == "connection_error"
    assert len(emulator.calls("chat.postMessage")) == 1
    assert [m["text"] for m in emulator.messages("C0GENERAL1")] == ["once"]


def test_a_read_whose_answer_is_lost_is_retried(
    gateway: SlackGateway, emulator: SlackEmulator
) -> None:
    emulator.cut_after("users.info")
    user = gateway.user_info("U0JUNIOR01")
    assert user.timezone == "Europe/Berlin"
    assert len(emulator.calls("users.info")) == 2


def test_user_info_reads_timezone(gateway: SlackGateway) -> None:
    user = gateway.user_info("U0SENIOR01")
    assert (user.id, user.timezone, user.is_deleted) == ("U0SENIOR01", "America/New_York", False)


@pytest.fixture
def workspace_sessions(database_url: str) -> Iterator[tuple[object, int]]:
    engine = make_engine(database_url)
    factory = make_session_factory(engine, clock=SystemClock())
    with unit_of_work(factory) as session:
        workspace_id = ensure_workspace(
            session, team_id="T0TWOWAY1", name=None, bot_user_id=None, admin_channel_id=None
        ).id
    yield factory, workspace_id
    engine.dispose()


def test_dm_channels_are_opened_once_ever(
    emulator: SlackEmulator, workspace_sessions: tuple[object, int]
) -> None:
    factory, workspace_id = workspace_sessions

    def fresh_gateway() -> SlackGateway:  # a new process: empty memory, same database
        client = build_web_client(token=BOT_TOKEN, base_url=emulator.api_url, retry=FAST)
        return SlackGateway(client, DatabaseDmChannelCache(factory, workspace_id))  # type: ignore[arg-type]

    first = fresh_gateway().open_dm(["U0SENIOR01", "U0JUNIOR01"])
    again = fresh_gateway().open_dm(["U0JUNIOR01", "U0SENIOR01"])
    gateway = fresh_gateway()
    assert gateway.open_dm(["U0JUNIOR01", "U0SENIOR01"]) == first == again
    solo = gateway.open_dm(["U0JUNIOR01"])
    assert solo != first
    assert gateway.open_dm(["U0JUNIOR01"]) == solo
    opened = emulator.calls("conversations.open")
    assert len(opened) == 2  # one for the pair, one for the solo DM
