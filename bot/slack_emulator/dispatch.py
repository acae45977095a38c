"""One Web API call from decoded request to recorded answer, in Slack's order of checks.

Scripted faults come first (so a test can make any call fail), then the method name, then
the token, then the method itself under the workspace lock. Every outcome is recorded.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.slack_emulator.faults import FaultPlan
from bot.slack_emulator.methods import METHODS, ApiError, Args
from bot.slack_emulator.recording import RecordedCall
from bot.slack_emulator.state import Workspace
from bot.slack_emulator.wire import BodyError, bearer_token, parse_body, parse_form

logger = logging.getLogger(__name__)

NO_AUTH_METHODS = frozenset({"api.test"})
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})  # take the xapp- token, not xoxb-


@dataclass(frozen=True)
class ApiRequest:
    """What the HTTP layer hands over: the method and the raw request parts."""

    method: str
    query: str = ""
    content_type: str | None = None
    authorization: str | None = None
    body: bytes = b""


@dataclass(frozen=True)
class ApiAnswer:
    """What goes back on the wire."""

    http_status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _auth_error(ws: Workspace, token: str | None, method: str = "") -> str | None:
    """``not_authed``, ``invalid_auth`` or ``token_revoked`` as Slack would say, else None."""
    if not token:
        return "not_authed"
    if method in APP_TOKEN_METHODS:
        return _app_token_error(ws, token)
    if token != ws.bot_token:
        return "invalid_auth"
    if ws.token_revoked:
        return "token_revoked"
    return None


def _app_token_error(ws: Workspace, token: str) -> str | None:
    """App-level methods refuse a bot token by its type and any other token as invalid."""
    if token == ws.app_token:
        return None
    return "not_allowed_token_type" if token == ws.bot_token else "invalid_auth"


def _answer(ws: Workspace, method: str, args: dict[str, Any], token: str | None) -> ApiAnswer:
    """Run the method (or refuse it) and say what Slack would answer."""
    if method not in METHODS:
        return ApiAnswer(200, {"ok": False, "error": "unknown_method", "req_method": method})
    auth_error = None if method in NO_AUTH_METHODS else _auth_error(ws, token, method)
    if auth_error is not None:
        return ApiAnswer(200, {"ok": False, "error": auth_error})
    try:
        with ws.lock:
            # Copied under the lock: the answer must not share objects with live state.
            return ApiAnswer(200, copy.deepcopy(METHODS[method](ws, Args(args))))
    except ApiError as error:
        return ApiAnswer(200, error.body())
    except Exception:
        logger.exception("slack emulator failed on %s", method)
        return ApiAnswer(500, {"ok": False, "error": "internal_error"})


def handle(ws: Workspace, faults: FaultPlan, request: ApiRequest) -> ApiAnswer:
    """Answer one API call and record it, whatever the outcome."""
    args: dict[str, Any] = parse_form(request.query)
    try:
        args.update(parse_body(request.content_type, request.body))
        body_error = None
    except BodyError as error:
        body_error = error.code
    form_token = args.pop("token", None)
    token = bearer_token(request.authorization) or (str(form_token) if form_token else None)
    channel = args.get("channel")
    fault = faults.take(request.method, channel if isinstance(channel, str) else None)
    if fault is not None:
        answer = ApiAnswer(fault.http_status, dict(fault.body), dict(fault.headers))
    elif body_error is not None:
        answer = ApiAnswer(200, {"ok": False, "error": body_error})
    else:
        answer = _answer(ws, request.method, args, token)
    ws.calls.append(
        RecordedCall(
            method=request.method,
            args=args,
            token=token,
            http_status=answer.http_status,
            response=answer.body,
        )
    )
    return answer
