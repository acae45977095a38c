"""The HTTP surface: `POST /slack/events` into Bolt and `GET /healthz`, as an ASGI app.

Nothing reads or parses a request before its signature is checked: the body is read
from the stream up to a size limit (413 beyond it), Slack's signature is checked on
those raw bytes (401 when it is missing, wrong or stale), and only then is the body
decoded and parsed (400 when that fails). Bolt checks the signature again; that is
harmless and keeps Bolt's own guarantees.

Bolt's dispatch is synchronous, so it runs in Starlette's thread pool and the
event loop stays free for other requests; uvicorn serves it in production.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.middleware.request_verification import RequestVerification
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db import HealthProbe
from bot.logging import get_logger

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few KB; a view submission well under this
REPLAY_WINDOW_S = 300  # Slack's own: a signature older (or newer) than 5 minutes is refused
_MAX_TIMESTAMP_DIGITS = 12

log = get_logger("twoway.web")


class SignatureCheck:
    """Slack's `v0` request signature, checked on the raw bytes of the body.

    `slack_sdk.signature.SignatureVerifier` decodes the body as UTF-8 and turns the
    timestamp into an int before comparing, so bytes an attacker picks (`\\xff`, a
    timestamp `abc`) raise instead of failing the check. This is the same HMAC-SHA256
    over `v0:{timestamp}:{body}`, computed over the bytes as received.
    """

    def __init__(self, signing_secret: str) -> None:
        self._key = signing_secret.encode()

    def is_valid(self, body: bytes, timestamp: str | None, signature: str | None) -> bool:
        if not timestamp or not signature or not _is_timestamp(timestamp):
            return False
        if abs(time.time() - int(timestamp)) > REPLAY_WINDOW_S:
            return False
        digest = hmac.new(self._key, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
        expected = b"v0=" + digest.hexdigest().encode()
        return hmac.compare_digest(expected, signature.encode("utf-8", "replace"))


def _is_timestamp(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= _MAX_TIMESTAMP_DIGITS


class BodyTooLarge(Exception):
    """The request body is over `MAX_BODY_BYTES`."""


async def read_limited_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read from the stream; `BodyTooLarge` as soon as it passes `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and (len(declared) > 12 or int(declared) > limit):
        raise BodyTooLarge  # refused before a byte of it is read
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _signing_secret_of(bolt_app: App) -> str | None:
    """The secret Bolt's own RequestVerification checks with (None when it is off)."""
    for middleware in bolt_app._middleware_list:
        if isinstance(middleware, RequestVerification):
            return middleware.verifier.signing_secret
    return None


def _bolt_request(request: Request, body: bytes) -> BoltRequest | None:
    """Decode and parse a signed body the way Bolt does; None when it is not a Slack payload."""
    try:
        bolt_request = BoltRequest(
            body=body.decode("utf-8"),
            query=request.query_params,  # type: ignore[arg-type]
            headers=request.headers,  # type: ignore[arg-type]
        )
    except Exception:  # Bolt raises whatever json/its context builder raise on odd shapes
        return None
    return bolt_request if isinstance(bolt_request.body, dict) else None


def create_asgi_app(
    bolt_app: App, engine: Engine, *, signing_secret: str | None = None
) -> Starlette:
    """The ASGI app; `signing_secret` defaults to the one Bolt verifies requests with."""
    secret = signing_secret or _signing_secret_of(bolt_app)
    if not secret:
        raise ValueError("HTTP mode needs SLACK_SIGNING_SECRET to verify Slack's requests")
    signatures = SignatureCheck(secret)
    probe = HealthProbe(engine)

    async def slack_events(request: Request) -> Response:
        try:
            body = await read_limited_body(request)
        except BodyTooLarge:
            log.info("slack.request.refused", reason="too_large", status=413)
            return JSONResponse({"error": "request body too large"}, status_code=413)
        headers = request.headers
        if not signatures.is_valid(
            body, headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
        ):
            log.info("slack.request.refused", reason="signature", status=401)
            return JSONResponse({"error": "invalid request"}, status_code=401)
        bolt_request = _bolt_request(request, body)
        if bolt_request is None:
            log.info("slack.request.refused", reason="malformed", status=400)
            return JSONResponse({"error": "malformed request"}, status_code=400)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        if await run_in_threadpool(probe.reachable):
            return JSONResponse({"status": "ok", "database": "reachable"})
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)

    return Starlette(
        routes=[
            Route(SLACK_EVENTS_PATH, slack_events, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
        ]
    )
