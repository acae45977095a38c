"""Socket Mode: the websocket Slack opens to an app instead of calling its Request URL.

``apps.connections.open`` (app-level token) hands out a one-time ``ws://`` link to this
server. A client that connects gets a ``hello``; a test then pushes envelopes shaped like
Slack's (``slash_commands``, ``interactive``, ``events_api``) and waits for the app's ack
(``{"envelope_id", "payload"?}``), whose payload is the answer (help blocks, field errors).
A ``disconnect`` envelope asks the app to fetch a new link and reconnect, as Slack does
before it recycles a connection; envelopes then go to the newest connection only.

``websockets`` is a development dependency: the emulator imports this module only when
an app first asks for a Socket Mode link.
"""

from __future__ import annotations

import http
import json
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection, serve

logger = logging.getLogger(__name__)

LINK_PATH = "/link/"
ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})
# Slack pings its clients too; often here because slack_sdk's built-in client holds its
# receive lock through a blocking read of up to 3 s, and closing or replacing a connection
# waits for that lock: a ping wakes the read, so a reconnect or shutdown takes milliseconds.
PING_INTERVAL = 0.05
PING_TIMEOUT = 20.0


@dataclass(frozen=True)
class Ack:
    """What the app sent back for one envelope, and on which connection (1 = first)."""

    envelope_id: str
    payload: dict[str, Any] | None
    connection: int
    at: float = field(default_factory=time.time)


@dataclass
class _Link:
    """One open websocket: its number, and whether a ``disconnect`` was sent on it."""

    number: int
    socket: ServerConnection
    open: bool = True
    retiring: bool = False


class SocketModeServer:
    """A websocket server on 127.0.0.1 that speaks Slack's Socket Mode protocol."""

    def __init__(
        self, *, app_id: str, host: str = "127.0.0.1", ping_interval: float = PING_INTERVAL
    ) -> None:
        self.app_id = app_id
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._links: list[_Link] = []
        self._acks: list[Ack] = []
        self._strays: list[str] = []
        self._server = serve(
            self._serve_link,
            host,
            0,
            process_request=self._check_ticket,
            compression=None,
            ping_interval=ping_interval,
            ping_timeout=PING_TIMEOUT,
        )
        self.host, self.port = self._server.socket.getsockname()[:2]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"socket-mode-{self.port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Close every connection (code 1001, going away) and the listening socket."""
        with self._changed:
            still_open = [link.socket for link in self._links if link.open]
        for socket in still_open:
            socket.close(CloseCode.GOING_AWAY)
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- connecting ----------------------------------------------------------------------

    def issue_link(self) -> str:
        """A fresh one-time URL, as ``apps.connections.open`` answers it."""
        ticket = secrets.token_hex(16)
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://{self.host}:{self.port}{LINK_PATH}?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse a path other than the link's, and an unknown or already used ticket."""
        url = urlsplit(request.path)
        ticket = (parse_qs(url.query).get("ticket") or [""])[0]
        with self._changed:
            valid = url.path == LINK_PATH and ticket in self._tickets
            self._tickets.discard(ticket)
        if not valid:
            return connection.respond(http.HTTPStatus.UNAUTHORIZED, "invalid ticket\n")
        return None

    def _serve_link(self, socket: ServerConnection) -> None:
        """Say hello, then record every message the app sends until the socket closes."""
        socket.send(json.dumps(self._hello()))
        with self._changed:
            link = _Link(number=len(self._links) + 1, socket=socket)
            self._links.append(link)
            self._changed.notify_all()
        try:
            for message in socket:
                self._record(link, message)
        except ConnectionClosed:
            pass  # the app dropped the old socket after reconnecting, as the SDK does
        finally:
            with self._changed:
                link.open = False
                self._changed.notify_all()

    def _hello(self) -> dict[str, Any]:
        with self._changed:
            already_open = self._open()
        return {
            "type": "hello",
            "num_connections": already_open + 1,
            "debug_info": {"host": "slack-emulator", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }

    def _record(self, link: _Link, message: str | bytes) -> None:
        """Keep an ack (an object with an ``envelope_id``); anything else is a stray."""
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            decoded = None
        with self._changed:
            if isinstance(decoded, dict) and isinstance(decoded.get("envelope_id"), str):
                payload = decoded.get("payload")
                self._acks.append(
                    Ack(
                        envelope_id=decoded["envelope_id"],
                        payload=payload if isinstance(payload, dict) else None,
                        connection=link.number,
                    )
                )
            else:
                self._strays.append(text)
            self._changed.notify_all()

    def wait_for_connections(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until ``count`` connections have been greeted since start (reconnects count)."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._links) >= count, timeout):
                raise AssertionError(
                    f"expected {count} Socket Mode connection(s) within {timeout}s, "
                    f"got {len(self._links)}"
                )

    def wait_open_connections(self, count: int, timeout: float = 5.0) -> None:
        """Block until exactly ``count`` connections are open (the app closed the others)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._open() == count, timeout):
                raise AssertionError(
                    f"expected {count} open Socket Mode connection(s) within {timeout}s, "
                    f"got {self._open()}"
                )

    def _open(self) -> int:
        return sum(1 for link in self._links if link.open)

    @property
    def connections(self) -> int:
        """How many connections were greeted so far."""
        with self._changed:
            return len(self._links)

    @property
    def open_connections(self) -> int:
        """How many connections are open right now."""
        with self._changed:
            return self._open()

    # -- envelopes -----------------------------------------------------------------------

    def push(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool = False,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
        timeout: float = 5.0,
    ) -> str:
        """Send one envelope on the newest usable connection and return its ``envelope_id``.

        Events carry ``retry_attempt``/``retry_reason`` (0 and "" the first time), as Slack
        sends them; commands and interactivity do not.
        """
        if kind not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {kind!r}")
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api" or retry_attempt is not None:
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = retry_reason or ""
        self._send(envelope, timeout)
        return str(envelope["envelope_id"])

    def disconnect(self, reason: str = "refresh_requested", timeout: float = 5.0) -> None:
        """Ask the app to reconnect; later envelopes wait for the new connection."""
        self._send(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "slack-emulator"}},
            timeout,
            retire=True,
        )

    def _send(self, message: dict[str, Any], timeout: float, *, retire: bool = False) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._usable() is not None, timeout):
                raise AssertionError(f"no Socket Mode connection open within {timeout}s")
            link = self._usable()
            assert link is not None
            link.retiring = link.retiring or retire
        link.socket.send(json.dumps(message))

    def _usable(self) -> _Link | None:
        """The newest open connection that was not asked to go away."""
        return next((k for k in reversed(self._links) if k.open and not k.retiring), None)

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        """The app's first ack for an envelope; ``AssertionError`` if none came in time."""
        with self._changed:
            found = self._changed.wait_for(lambda: self._first_ack(envelope_id), timeout)
            if not found:
                raise AssertionError(f"no ack for envelope {envelope_id} within {timeout}s")
            return found

    def _first_ack(self, envelope_id: str) -> Ack | None:
        return next((a for a in self._acks if a.envelope_id == envelope_id), None)

    def acks(self, envelope_id: str | None = None) -> list[Ack]:
        """Acks received, in order, optionally for one envelope (an app acks each once)."""
        with self._changed:
            return [a for a in self._acks if envelope_id is None or a.envelope_id == envelope_id]

    def strays(self) -> list[str]:
        """Messages from the app that were not acks (none expected)."""
        with self._changed:
            return list(self._strays)
