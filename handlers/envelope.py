"""The envelope guard: a signed body whose shape Slack never sends is refused with a 400.

Bolt reads the envelope (team, user, channel, event, view, actions …) in its own matchers,
middleware and argument builders, assuming Slack's types: `"view": null` or `"actions": "x"`
raise inside Bolt before any listener (or our error handler) runs, and Bolt answers 500.
This guard runs first after the signature check (`before_authorize`), as a plain Bolt
`Middleware`: a function middleware would already trip over the body while Bolt builds its
arguments. It checks the types of exactly what Bolt and the listeners read, and the ids
the app stores (a Slack id is short, upper-case and alphanumeric), so that what passes
can be routed, parsed and stored; values inside (button values, metadata, text) are the
listeners' parsers' business.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.logging import get_logger

log = get_logger("twoway.request")

SLACK_ID = re.compile(r"[A-Z0-9]{2,32}")  # users, channels, teams: what a String(32) holds
EVENT_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
MALFORMED = "malformed Slack request"
# Events that always name the person they concern (and whose listeners need a caller).
PERSONAL_EVENTS = frozenset({"app_home_opened", "app_mention", "member_joined_channel"})
Check = Callable[[Any], bool]


def _absent_or(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _slack_id(value: Any) -> bool:
    return isinstance(value, str) and SLACK_ID.fullmatch(value) is not None


def _optional_id(value: Any) -> bool:
    return value is None or value == "" or _slack_id(value)


def _object(value: Any) -> bool:
    return isinstance(value, dict)


def _named(value: Any) -> bool:
    """A Slack reference: an id, or an object with an id (`team`, `user`, `channel` …)."""
    if isinstance(value, dict):
        return _optional_id(value.get("id"))
    return _optional_id(value)


def _list_of_objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


# Keys Bolt reads on every request, whatever its type: a wrong type raises inside Bolt.
ENVELOPE: dict[str, Check] = {
    "type": _absent_or(_text),
    "team": _named,
    "enterprise": _absent_or(lambda v: isinstance(v, str) or _named(v)),
    "user": _named,
    "channel": _named,
    "team_id": _optional_id,
    "user_id": _optional_id,
    "channel_id": _optional_id,
    "enterprise_id": _absent_or(_text),
    "authorizations": _absent_or(_list_of_objects),
    "response_url": _absent_or(_text),
    "response_urls": _absent_or(
        lambda v: _list_of_objects(v) and all(_absent_or(_text)(u.get("response_url")) for u in v)
    ),
    "callback_id": _absent_or(_text),
    "action_id": _absent_or(_text),
    "block_id": _absent_or(_text),
    "trigger_id": _absent_or(_text),
    "command": _absent_or(_text),
    "text": _absent_or(_text),
    "container": _absent_or(_object),
    "message": _absent_or(_object),
    "event_id": _absent_or(lambda v: isinstance(v, str) and EVENT_ID.fullmatch(v) is not None),
}
# Present at all, these must be objects (Bolt reads `"view" in body` then `view.get`).
OBJECTS_IF_PRESENT = ("view", "event")


def _action_problem(actions: Any) -> str | None:
    if not isinstance(actions, list) or not actions:
        return "actions"
    for action in actions:
        if not isinstance(action, dict) or not _text(action.get("action_id")):
            return "actions.action_id"
        if not _absent_or(_text)(action.get("value")):
            return "actions.value"
        if not _absent_or(_text)(action.get("block_id")):
            return "actions.block_id"
        option = action.get("selected_option")
        if option is not None and not (_object(option) and _absent_or(_text)(option.get("value"))):
            return "actions.selected_option"
    return None


def _view_problem(view: dict[str, Any], *, submitted: bool) -> str | None:
    for key in ("id", "callback_id", "type"):
        if not _text(view.get(key)):
            return f"view.{key}"
    if not _absent_or(_text)(view.get("private_metadata")):
        return "view.private_metadata"
    if submitted:
        state = view.get("state")
        values = state.get("values") if isinstance(state, dict) else None
        if not isinstance(values, dict) or not all(
            isinstance(block, dict) and all(isinstance(el, dict) for el in block.values())
            for block in values.values()
        ):
            return "view.state.values"
    return None


def _event_problem(event: dict[str, Any]) -> str | None:
    if not _text(event.get("type")):
        return "event.type"
    for key in ("user", "channel"):
        if not _named(event.get(key)):
            return f"event.{key}"
    if event["type"] in PERSONAL_EVENTS and not _slack_id(event.get("user")):
        return "event.user"
    if event["type"] == "user_change":
        user = event.get("user")
        if not isinstance(user, dict) or not _slack_id(user.get("id")):
            return "event.user.id"
        for key in ("tz", "real_name", "name"):
            if not _absent_or(_text)(user.get(key)):
                return f"event.user.{key}"
    return None


def envelope_problem(body: Any) -> str | None:
    """The first field whose type Slack would never send (for the log), or None."""
    if not isinstance(body, dict):
        return "body"
    for key, check in ENVELOPE.items():
        if not check(body.get(key)):
            return key
    for key in OBJECTS_IF_PRESENT:
        if key in body and not isinstance(body[key], dict):
            return key
    kind = body.get("type")
    if "command" in body:
        if not _slack_id(body.get("user_id")) or not _text(body.get("trigger_id")):
            return "command.user_id"
    elif kind in {"block_actions", "view_submission", "view_closed"}:
        user = body.get("user")
        if not isinstance(user, dict) or not _slack_id(user.get("id")):
            return "user.id"
    if kind in {"block_actions", "interactive_message"}:
        return _action_problem(body.get("actions")) or (
            None if _text(body.get("trigger_id")) else "trigger_id"
        )
    if not _absent_or(_list_of_objects)(body.get("actions")):
        return "actions"
    if kind in {"view_submission", "view_closed"}:
        if not isinstance(body.get("view"), dict):
            return "view"
        return _view_problem(body["view"], submitted=kind == "view_submission")
    if kind == "event_callback":
        return _event_problem(body["event"]) if isinstance(body.get("event"), dict) else "event"
    return None


class EnvelopeGuard(Middleware):
    """Refuse, with a 400 and one log line (the field, never the value), what Bolt can't route."""

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse:
        problem = envelope_problem(req.body)
        if problem is None:
            return next()
        log.info("slack.request.malformed", field=problem, status=400)
        return BoltResponse(status=400, body=MALFORMED)
