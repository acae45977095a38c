"""The emulator's Socket Mode endpoint, driven by a bare websocket client.

These pin the protocol as Slack speaks it (the app's side is tested end to end in
tests/socket_mode/): the app-level token, one-time links, ``hello``, envelopes, acks
with and without a payload, and ``disconnect``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from bot.slack_emulator import SlackEmulator


def _link(emu: SlackEmulator) -> str:
    answer = WebClient(base_url=emu.api_url, retry_handlers=[]).apps_connections_open(
        app_token=emu.app_token
    )
    return str(answer["url"])


@contextmanager
def _connected(emu: SlackEmulator) -> Iterator[ClientConnection]:
    """A client that has read its ``hello``."""
    with connect(_link(emu)) as socket:
        hello = json.loads(socket.recv(timeout=5))
        assert hello["type"] == "hello"
        yield socket


def _ack(socket: ClientConnection, envelope_id: str, payload: dict | None = None) -> None:
    message = {"envelope_id": envelope_id} | ({"payload": payload} if payload else {})
    socket.send(json.dumps(message))


def test_apps_connections_open_takes_only_the_app_token(emu: SlackEmulator) -> None:
    client = WebClient(base_url=emu.api_url, retry_handlers=[])
    for token, error in [
        (emu.bot_token, "not_allowed_token_type"),
        ("xapp-1-A0OTHER-1-wrong", "invalid_auth"),
    ]:
        with pytest.raises(SlackApiError) as refused:
            client.apps_connections_open(app_token=token)
        assert refused.value.response["error"] == error
    with pytest.raises(SlackApiError) as unsigned:
        client.api_call("apps.connections.open")
    assert unsigned.value.response["error"] == "not_authed"

    url = urlsplit(_link(emu))
    assert (url.scheme, url.hostname, url.path) == ("ws", "127.0.0.1", "/link/")
    assert parse_qs(url.query)["app_id"] == [emu.workspace.app_id]
    calls = emu.calls("apps.connections.open")
    assert [c.ok for c in calls] == [False, False, False, True]
    assert calls[-1].token == emu.app_token


def test_a_link_works_once_and_greets_with_hello(emu: SlackEmulator) -> None:
    link = _link(emu)
    with connect(link) as socket:
        hello = json.loads(socket.recv(timeout=5))
    assert hello["type"] == "hello"
    assert hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": emu.workspace.app_id}

    with pytest.raises(InvalidStatus) as reused:
        connect(link)
    assert reused.value.response.status_code == 401
    forged = link.replace("ticket=", "ticket=00")
    with pytest.raises(InvalidStatus):
        connect(forged)
    assert emu.socket_mode.connections == 1


def test_envelopes_are_shaped_like_slack_and_acks_are_recorded(emu: SlackEmulator) -> None:
    server = emu.socket_mode
    with _connected(emu) as socket:
        command_id = server.push(
            "slash_commands", {"command": "/mentor", "text": "help"}, accepts_response_payload=True
        )
        command = json.loads(socket.recv(timeout=5))
        assert command == {
            "envelope_id": command_id,
            "type": "slash_commands",
            "payload": {"command": "/mentor", "text": "help"},
            "accepts_response_payload": True,
        }
        _ack(socket, command_id, {"text": "Here is what I can do"})

        event_id = server.push("events_api", {"type": "event_callback"})
        event = json.loads(socket.recv(timeout=5))
        assert (event["retry_attempt"], event["retry_reason"]) == (0, "")
        assert event["accepts_response_payload"] is False
        _ack(socket, event_id)

        retried = server.push(
            "events_api", {"type": "event_callback"}, retry_attempt=1, retry_reason="timeout"
        )
        assert json.loads(socket.recv(timeout=5))["retry_attempt"] == 1
        socket.send("not json")

        assert server.wait_ack(command_id).payload == {"text": "Here is what I can do"}
        assert server.wait_ack(event_id).payload is None
        with pytest.raises(AssertionError, match="no ack"):
            server.wait_ack(retried, timeout=0.2)
        assert server.wait_ack(command_id).connection == 1
        assert [a.envelope_id for a in server.acks()] == [command_id, event_id]
        assert server.strays() == ["not json"]

    with pytest.raises(ValueError, match="unknown envelope type"):
        server.push("url_verification", {})


def test_disconnect_sends_the_next_envelope_to_the_new_connection(emu: SlackEmulator) -> None:
    server = emu.socket_mode
    with _connected(emu) as first:
        server.disconnect()
        assert json.loads(first.recv(timeout=5)) == {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "slack-emulator"},
        }
        with pytest.raises(AssertionError, match="no Socket Mode connection"):
            server.push("events_api", {}, timeout=0.2)  # the old one is going away
        with _connected(emu) as second:
            server.wait_for_connections(2)
            envelope_id = server.push("events_api", {"type": "event_callback"})
            assert json.loads(second.recv(timeout=5))["envelope_id"] == envelope_id
            _ack(second, envelope_id)
            assert server.wait_ack(envelope_id).connection == 2
    server.wait_open_connections(0)


def test_stop_closes_open_connections(emu: SlackEmulator) -> None:
    with _connected(emu) as socket:
        emu.stop()
        with pytest.raises(ConnectionClosed, match="1001"):
            socket.recv(timeout=5)
