"""Global middleware: runtime injection, one log line per request, retries recognised,
and the caller (workspace, member, timezone, coordinator) resolved once per request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.flows.access import resolve_caller
from bot.flows.events import first_sight_of_event
from bot.logging import get_logger
from bot.request_log import note_request_ids
from bot.runtime import Runtime
from handlers.context import CALLER_KEY, RUNTIME_KEY

log = get_logger("twoway.request")

Middleware = Callable[..., BoltResponse | None]


def make_runtime_middleware(runtime: Runtime) -> Middleware:
    def inject_runtime(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        context[RUNTIME_KEY] = runtime
        return next()

    return inject_runtime


def _short(value: Any) -> str | None:
    """A logged id: a string, clipped (a hostile body can put anything in any field)."""
    return value[:64] if isinstance(value, str) else None


def _field(container: Any, key: str) -> Any:
    return container.get(key) if isinstance(container, dict) else None


def _id_of(value: Any) -> str | None:
    """`team`, `user`: an id, or an object with one."""
    return _short(value) or _short(_field(value, "id"))


def request_ids(body: Any) -> dict[str, Any]:
    """Ids worth logging, and nothing a person wrote; total: never raises, whatever the body."""
    if not isinstance(body, dict):
        return {"kind": "unknown"}
    kind = _short(body.get("type")) or ("slash_command" if "command" in body else "unknown")
    ids: dict[str, Any] = {"kind": kind}
    team = _short(body.get("team_id")) or _id_of(body.get("team"))
    user = _short(body.get("user_id")) or _id_of(body.get("user"))
    if kind == "event_callback":
        event = body.get("event")
        ids.update(event_id=_short(body.get("event_id")), event_type=_short(_field(event, "type")))
        user = user or _id_of(_field(event, "user"))
    if kind == "slash_command":
        ids["command"] = _short(body.get("command"))
    if kind == "block_actions":
        actions = body.get("actions")
        ids["action_ids"] = [
            _short(_field(a, "action_id")) for a in (actions if isinstance(actions, list) else [])
        ][:5]
    if kind in {"view_submission", "view_closed"}:
        ids["callback_id"] = _short(_field(body.get("view"), "callback_id"))
    ids.update(team_id=team, user_id=user)
    return ids


def log_request(
    req: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]
) -> BoltResponse:
    """Name the verified request's ids for its one log line (`bot.request_log.LoggedApp`).

    Bolt's `next()` returns before any listener runs, so the status and the duration are
    read around `App.dispatch`, where the answer is; this only adds the ids.
    """
    retry = req.headers.get("x-slack-retry-num", [None])[0]
    note_request_ids(req, {**request_ids(body), "retry_num": _short(retry)})
    return next()


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
