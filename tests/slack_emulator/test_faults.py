"""Scripted failures, seen through slack_sdk's own retry handlers."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.slack_emulator import SlackEmulator


def test_rate_limit_is_honoured_by_the_retry_handler(emu: SlackEmulator) -> None:
    client = WebClient(
        base_url=emu.api_url, token=emu.bot_token, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    channel = emu.add_channel(name="general")
    emu.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    response = client.chat_postMessage(channel=channel, text="after the wait")
    elapsed = time.monotonic() - started
    limited, accepted = emu.calls("chat.postMessage")
    assert (limited.http_status, limited.response) == (429, {"ok": False, "error": "ratelimited"})
    assert accepted.ok
    assert response["ts"] == accepted.response["ts"]
    # slack_sdk sleeps Retry-After plus up to one second of jitter.
    assert 1.0 <= accepted.at - limited.at < 2.5
    assert 1.0 <= elapsed < 2.5


def test_rate_limit_without_retry_surfaces_retry_after(
    emu: SlackEmulator, client: WebClient
) -> None:
    emu.rate_limit("users.info", retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.users_info(user=emu.bot_user_id)
        assert excinfo.value.response.status_code == 429
        assert excinfo.value.response.headers["Retry-After"] == "7"
    assert client.users_info(user=emu.bot_user_id)["user"]["is_bot"] is True


def test_server_error_then_success(emu: SlackEmulator) -> None:
    handler = ServerErrorRetryHandler(
        max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
    )
    client = WebClient(base_url=emu.api_url, token=emu.bot_token, retry_handlers=[handler])
    emu.server_error("auth.test", status=503)
    assert client.auth_test()["user_id"] == emu.bot_user_id
    assert [c.http_status for c in emu.calls("auth.test")] == [503, 200]


def test_server_error_without_retry(emu: SlackEmulator, client: WebClient) -> None:
    emu.server_error("team.info", status=500)
    with pytest.raises(SlackApiError) as excinfo:
        client.team_info()
    assert excinfo.value.response.status_code == 500
    assert excinfo.value.response["error"] == "internal_error"
    with pytest.raises(ValueError, match="not a server error"):
        emu.server_error("team.info", status=404)


def test_fail_returns_the_error_code_the_given_number_of_times(
    emu: SlackEmulator, client: WebClient
) -> None:
    channel = emu.add_channel(name="general")
    emu.fail("chat.postMessage", "channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel=channel, text="hi")
        assert excinfo.value.response.status_code == 200
        assert excinfo.value.response.data == {"ok": False, "error": "channel_not_found"}
    assert client.chat_postMessage(channel=channel, text="hi")["ok"] is True
    assert [c.ok for c in emu.calls("chat.postMessage")] == [False, False, True]
    assert len(emu.messages(channel)) == 1


def test_faults_queue_in_order_per_method(emu: SlackEmulator, client: WebClient) -> None:
    emu.fail("auth.test", "account_inactive")
    emu.server_error("auth.test", status=502)
    with pytest.raises(SlackApiError):
        client.auth_test()
    with pytest.raises(SlackApiError):
        client.auth_test()
    assert client.team_info()["ok"] is True, "other methods are untouched"
    assert client.auth_test()["ok"] is True
    assert [(c.http_status, c.response.get("error")) for c in emu.calls("auth.test")] == [
        (200, "account_inactive"),
        (502, "bad_gateway"),
        (200, None),
    ]


def test_revoke_token(emu: SlackEmulator, client: WebClient) -> None:
    assert client.auth_test()["ok"] is True
    emu.revoke_token()
    for call in (client.auth_test, client.team_info):
        with pytest.raises(SlackApiError) as excinfo:
            call()
        assert excinfo.value.response["error"] == "token_revoked"
    assert [c.ok for c in emu.calls()] == [True, False, False]


def test_wait_for_returns_or_times_out(emu: SlackEmulator, client: WebClient) -> None:
    client.auth_test()
    assert [c.method for c in emu.wait_for("auth.test")] == ["auth.test"]
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"expected 1 call\(s\) of chat.postMessage") as info:
        emu.wait_for("chat.postMessage", timeout=0.2)
    assert "auth.test -> 200 ok" in str(info.value)
    assert 0.2 <= time.monotonic() - started < 1.0
    emu.clear_calls()
    assert emu.calls() == []


def test_enforced_rate_limits_answer_429_past_the_channel_rate() -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    from bot.slack_emulator import SlackEmulator

    with SlackEmulator() as emu:
        emu.add_channel("C0PACED001", name="paced", members=[emu.bot_user_id])
        emu.enforce_rate_limits(per_channel_per_second=1, channel_burst=1, workspace_per_second=100)
        client = WebClient(token=emu.bot_token, base_url=emu.api_url)
        client.chat_postMessage(channel="C0PACED001", text="one")
        try:
            client.chat_postMessage(channel="C0PACED001", text="two")
            raised = None
        except SlackApiError as error:
            raised = error
        assert raised is not None
        assert raised.response.status_code == 429
        assert int(raised.response.headers["Retry-After"]) >= 1
        other = emu.add_channel(name="other", members=[emu.bot_user_id])
        assert client.chat_postMessage(channel=other, text="elsewhere")["ok"]  # per channel
