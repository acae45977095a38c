"""The HTTP edge under hostile input: signature first, on the raw bytes, with a body limit.

Every request here comes over HTTP into the real app. Unsigned or badly signed requests
are refused with 401 before anything parses them; signed bodies that cannot be decoded or
parsed get 400; bodies over the limit get 413 without being read whole. None of them may
answer 500, change a row or call Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from bot.slack_emulator import SlackEmulator
from models import Member, ProcessedRequest
from tests.support.app_server import AppServer
from tests.support.slack_requests import SlackRequests

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_BODY_BYTES = 1024 * 1024  # the limit bot.web enforces: Slack's payloads are far smaller

# Bodies Slack never sends: each used to reach Bolt's parser before the signature was checked.
HOSTILE_BODIES: dict[str, tuple[bytes, str]] = {
    "broken json": (b"{not json", JSON),
    "payload null": (b"payload=null", FORM),
    "payload a list": (b"payload=%5B1%2C2%5D", FORM),
    "json a string": (b'"just a string"', JSON),
    "non-utf8 byte": (b"command=/mentor&text=\xff\xfe", FORM),
    "non-utf8 json": (b'{"type":"\xff"}', JSON),
    "enterprise a number": (b'{"type":"event_callback","enterprise":5}', JSON),
    "authorizations a string": (b'{"type":"event_callback","authorizations":"x"}', JSON),
}


def _state(app_server: AppServer) -> tuple[int, int]:
    with app_server.runtime.unit_of_work() as session:
        processed = session.scalar(select(func.count()).select_from(ProcessedRequest)) or 0
        members = session.scalar(select(func.count()).select_from(Member)) or 0
    return processed, members


def _post_raw(
    slack: SlackRequests, body: bytes, content_type: str, headers: dict[str, str]
) -> httpx.Response:
    return slack.http.post(
        "/slack/events", content=body, headers={"Content-Type": content_type, **headers}
    )


def _signed_headers(
    slack: SlackRequests, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """Slack's signature over the raw bytes (computed by hand: the bytes need not be UTF-8)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        slack.signing_secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@pytest.fixture
def unchanged(app_server: AppServer, emulator: SlackEmulator) -> Callable[[], None]:
    """Assert, at the end of a test, that no row and no Slack call came of its requests."""
    emulator.clear_calls()
    before = _state(app_server)

    def check() -> None:
        app_server.wait_idle()
        assert _state(app_server) == before
        assert emulator.calls() == []
        assert emulator.responses() == []

    return check


def test_unsigned_hostile_bodies_are_refused_before_parsing(
    slack: SlackRequests, unchanged: Callable[[], None]
) -> None:
    forged = {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    answers = {
        name: (
            _post_raw(slack, body, content_type, {}).status_code,
            _post_raw(slack, body, content_type, forged).status_code,
        )
        for name, (body, content_type) in HOSTILE_BODIES.items()
    }
    assert answers == dict.fromkeys(HOSTILE_BODIES, (401, 401))
    unchanged()


def test_signed_but_malformed_bodies_are_bad_requests(
    slack: SlackRequests, unchanged: Callable[[], None]
) -> None:
    answers = {
        name: _post_raw(slack, body, content_type, _signed_headers(slack, body))
        for name, (body, content_type) in HOSTILE_BODIES.items()
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(
        HOSTILE_BODIES, 400
    )
    assert not [name for name, r in answers.items() if "Traceback" in r.text]
    unchanged()


BAD_TIMESTAMPS = ["abc", "", "12.5", "-1", "1" * 5000, "١٢٣", "0x10", "+5"]
BAD_SIGNATURES = ["", "v0=", "é" * 10, "v0=" + "z" * 64, "v1=abc"]


def test_a_timestamp_or_signature_that_is_not_one_is_refused(
    slack: SlackRequests, unchanged: Callable[[], None]
) -> None:
    body = b"command=%2Fmentor&text=help&user_id=U0JUNIOR01&team_id=T0TWOWAY1"
    now = str(int(time.time()))
    cases = [(ts, "v0=" + "0" * 64) for ts in BAD_TIMESTAMPS] + [
        (now, signature) for signature in BAD_SIGNATURES
    ]
    answers = {}
    for timestamp, signature in cases:
        headers = {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": timestamp.encode("utf-8"),
            "X-Slack-Signature": signature.encode("utf-8"),
        }
        response = slack.http.post("/slack/events", content=body, headers=headers)
        answers[(timestamp[:12], signature[:12])] = response.status_code
    assert set(answers.values()) == {401}, answers
    unchanged()


def test_a_stale_timestamp_is_refused_before_parsing(
    slack: SlackRequests, unchanged: Callable[[], None]
) -> None:
    body = b"{not json"
    stale = _signed_headers(slack, body, timestamp=int(time.time()) - 301)
    assert _post_raw(slack, body, JSON, stale).status_code == 401
    future = _signed_headers(slack, body, timestamp=int(time.time()) + 400)
    assert _post_raw(slack, body, JSON, future).status_code == 401
    unchanged()


def test_signed_requests_still_work(slack: SlackRequests) -> None:
    """The control: a correctly signed command is answered as before."""
    response = slack.command("help")
    assert response.status_code == 200
    assert "/mentor help" in str(response.json()["blocks"])


def _raw_exchange(port: int, head: bytes, body_parts: list[bytes]) -> bytes:
    """Send a request on a plain socket and return the first bytes of the answer.

    The body is written from a thread: the server may answer (and close) before it has
    read everything, which is the point, and the writer then just stops.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)

    def write() -> None:
        try:
            sock.sendall(head)
            for part in body_parts:
                sock.sendall(part)
        except OSError:
            pass  # the server answered and closed before the whole body was sent

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer
    finally:
        sock.close()
        writer.join(timeout=10)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_declared_body_over_the_limit_is_refused_without_reading_it(
    app_server: AppServer, unchanged: Callable[[], None]
) -> None:
    size = 5 * 1024 * 1024
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\n" + f"Content-Length: {size}\r\n\r\n".encode()
    )
    # Only the headers are sent: an answer proves the server did not wait for 5 MB.
    answer = _raw_exchange(app_server.port, head, [])
    assert _status(answer) == 413
    absurd = head.replace(f"{size}".encode(), b"9" * 5000)
    assert _status(_raw_exchange(app_server.port, absurd, [])) in (400, 413)
    unchanged()


def test_a_5_mb_body_is_refused(
    slack: SlackRequests, app_server: AppServer, unchanged: Callable[[], None]
) -> None:
    body = b"{" + b"a" * (5 * 1024 * 1024) + b"}"
    response = _post_raw(slack, body, JSON, _signed_headers(slack, body))
    assert response.status_code == 413
    unchanged()


def test_a_chunked_body_over_the_limit_is_refused(
    app_server: AppServer, unchanged: Callable[[], None]
) -> None:
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"a" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    parts = [frame] * (MAX_BODY_BYTES // len(chunk) + 2) + [b"0\r\n\r\n"]
    answer = _raw_exchange(app_server.port, head, parts)
    assert _status(answer) == 413
    unchanged()


def test_a_body_at_the_limit_is_read_and_checked(
    slack: SlackRequests, unchanged: Callable[[], None]
) -> None:
    """Just under the limit is not refused for its size: the signature decides (here 401)."""
    body = b"a" * (MAX_BODY_BYTES - 1)
    assert _post_raw(slack, body, JSON, {}).status_code == 401
    unchanged()
