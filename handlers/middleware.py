"""Global middleware: runtime injection, one log line per request, retries recognised,
and the caller (workspace, member, timezone, coordinator) resolved once per request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.flows.access import resolve_caller
from bot.flows.events import first_sight_of_event
from bot.logging import get_logger
from bot.runtime import Runtime
from handlers.context import CALLER_KEY, RUNTIME_KEY

log = get_logger("twoway.request")

Middleware = Callable[..., BoltResponse | None]


def make_runtime_middleware(runtime: Runtime) -> Middleware:
    def inject_runtime(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context[RUNTIME_KEY] = runtime
        return next()

    return inject_runtime


def request_ids(body: dict[str, Any]) -> dict[str, Any]:
    """Ids worth logging, and nothing a person wrote."""
    kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
    ids: dict[str, Any] = {"kind": kind}
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if kind == "event_callback":
        event = body.get("event") or {}
        ids.update(event_id=body.get("event_id"), event_type=event.get("type"))
        if not user and isinstance(event.get("user"), str):
            user = event["user"]
    if kind == "slash_command":
        ids["command"] = body.get("command")
    if kind == "block_actions":
        ids["action_ids"] = [a.get("action_id") for a in body.get("actions") or []]
    if kind in {"view_submission", "view_closed"}:
        ids["callback_id"] = (body.get("view") or {}).get("callback_id")
    ids.update(team_id=team, user_id=user)
    return ids


def log_request(
    req: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]
) -> BoltResponse:
    started = time.perf_counter()
    response = next()
    retry = req.headers.get("x-slack-retry-num", [None])[0]
    log.info(
        "slack.request",
        status=response.status if response else None,
        retry_num=retry,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        **request_ids(body),
    )
    return response


def skip_handled_events(
    body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
) -> BoltResponse:
    """Ack, and do nothing, for an event already handled (Slack's X-Slack-Retry-Num retries).

    Events are recorded before they are handled: at most once, which is what a
    person expects of a notification (a lost Home refresh beats a double DM).
    """
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id:
        fresh = first_sight_of_event(
            context[RUNTIME_KEY], team_id=body.get("team_id"), event_id=event_id
        )
        if not fresh:
            log.info("slack.event.duplicate", event_id=event_id, team_id=body.get("team_id"))
            return BoltResponse(status=200, body="")
    return next()


def resolve_request_caller(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Hand every listener the person behind the request, read once from the database."""
    user_id = context.user_id
    if user_id:
        context[CALLER_KEY] = resolve_caller(
            context[RUNTIME_KEY], user_id=user_id, channel_id=context.channel_id
        )
    return next()
