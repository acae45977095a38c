"""The real app in Socket Mode against the emulator, and Slack's side of that socket.

`SocketApp` runs the app as `twoway run` does with SLACK_APP_TOKEN set (Bolt's built-in
`SocketModeHandler`, which calls `apps.connections.open` and opens the websocket), built
by the same `build_test_app` as the HTTP `AppServer`. `SocketSlack` is `SlackRequests`
delivered as envelopes instead of signed HTTP requests: every payload builder and flow
helper written for HTTP (commands, clicks, modal submissions, events) works unchanged,
and the answer is the app's ack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.config import Settings
from bot.slack_emulator.socket_mode import Ack, SocketModeServer
from tests.support.app_server import build_test_app
from tests.support.slack_requests import SlackRequests

# Interactivity whose ack may carry an answer (Slack sets accepts_response_payload for these).
ANSWERABLE_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


class SocketApp:
    """The app connected over Socket Mode; `wait_idle()` as on `AppServer`."""

    def __init__(self, settings: Settings, socket: SocketModeServer) -> None:
        assert settings.socket_mode, "SocketApp needs SLACK_APP_TOKEN"
        self.runtime, self.executor, self.bolt_app = build_test_app(settings)
        self.socket = socket
        self.handler = SocketModeHandler(self.bolt_app, settings.slack_app_token)

    def start(self) -> SocketApp:
        """Connect as `SocketModeHandler.start()` does, without blocking this thread."""
        self.handler.connect()
        self.socket.wait_for_connections(1)
        return self

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Return once every listener the app started has finished (no sleeping)."""
        self.executor.wait_idle(timeout)

    def stop(self) -> None:
        client = self.handler.client
        # close() ends by joining the SDK's message processor, which polls its queue once a
        # second: mark the client closed and wake the poll, so teardown takes milliseconds.
        client.closed = True
        client.message_queue.put(None)
        self.handler.close()
        self.executor.shutdown(wait=True)
        self.runtime.close()


@dataclass(frozen=True)
class SocketAnswer:
    """The app's ack, read like the HTTP answer it replaces (`status_code`, `text`, `json()`)."""

    ack: Ack

    @property
    def status_code(self) -> int:
        return 200  # an ack arrived: what HTTP mode says with 200

    @property
    def payload(self) -> dict[str, Any] | None:
        return self.ack.payload

    @property
    def text(self) -> str:
        return json.dumps(self.ack.payload) if self.ack.payload else ""

    def json(self) -> Any:
        return self.ack.payload


class SocketSlack(SlackRequests):
    """Slack's side of the socket: `SlackRequests`' builders, pushed as envelopes."""

    def __init__(self, socket: SocketModeServer, response_url: str) -> None:
        self.socket = socket
        self.response_url = response_url
        self.signing_secret = ""  # nothing is signed: the app-level token opened the socket

    def close(self) -> None:
        """Nothing to close: the socket belongs to the emulator."""

    def post(  # type: ignore[override]
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> SocketAnswer:
        """Push what would have been POSTed to /slack/events and wait for the app's ack."""
        kind, payload = _envelope_of(body, content_type)
        retry = {k.lower(): v for k, v in (headers or {}).items()}
        envelope_id = self.socket.push(
            kind,
            payload,
            accepts_response_payload=kind == "slash_commands"
            or (kind == "interactive" and payload.get("type") in ANSWERABLE_INTERACTIONS),
            retry_attempt=int(retry["x-slack-retry-num"]) if "x-slack-retry-num" in retry else None,
            retry_reason=retry.get("x-slack-retry-reason"),
        )
        return SocketAnswer(self.socket.wait_ack(envelope_id))


def _envelope_of(body: str, content_type: str) -> tuple[str, dict[str, Any]]:
    """The envelope type and payload Slack sends over the socket for an HTTP request body."""
    if content_type.startswith("application/json"):
        event = json.loads(body)
        assert event.get("type") == "event_callback", "only events travel as JSON"
        return "events_api", event
    form = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
    if "payload" in form:
        return "interactive", json.loads(form["payload"])
    assert "command" in form, "a form body is a slash command or carries a payload"
    return "slash_commands", form
