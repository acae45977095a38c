"""Signed bodies of shapes Slack never sends: wrong types in the envelope, bodies that are
not objects, JSON that does not parse. Each case is named after what it breaks.

Before the envelope guard, about half of them answered 500 (inside Bolt's own parsing, its
matchers, or our middleware); every one must now answer 400, or 200/404 where the shape is
merely unusual and a listener (or nobody) takes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.support.slack_requests import TEAM_ID

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class Shape:
    name: str
    body: str
    content_type: str


def _payload(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _interaction(
    kind: str, user: str, callback_id: str, action_id: str, response_url: str
) -> dict[str, Any]:
    return {
        "type": kind,
        "team": {"id": TEAM_ID},
        "user": {"id": user, "team_id": TEAM_ID},
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b", "value": "1"}],
        "container": {"type": "message", "channel_id": "C0GENERAL1", "message_ts": "1.0"},
        "view": {
            "id": "V0HOSTILE1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "1",
            "state": {"values": {}},
        },
    }


WRONG_VALUES: dict[str, list[Any]] = {
    "team": ["T0BARS", 5, [], ["id"], {"id": 5}],
    "user": [None, 5, [], ["id"], {}, {"id": 5}, {"id": None}, {"id": "x" * 300}, "U0S"],
    "view": [None, "x", 5, [], {}, {"callback_id": 5}, {"callback_id": "x", "type": 5}],
    "actions": ["x", None, 5, [], [1], [{}], [{"action_id": 5}], {},
                [{"action_id": "x", "value": 5}]],
    "channel": [5, [], ["id"], {"id": 5}],
    "container": ["x", 5, []],
    "message": ["x", 5],
    "response_urls": [5, "x", [1], [{"response_url": 5}]],
    "response_url": [5, []],
    "enterprise": [5, [], ["id"]],
    "authorizations": [5, "x", [1], {}],
    "trigger_id": [5, None, []],
    "type": [5, [], {}],
}  # fmt: skip

EVENT_WRONG_VALUES: dict[str, list[Any]] = {
    "event": ["x", None, 5, [], {}, {"type": 5}, {"type": "app_home_opened", "user": 5},
              {"type": "app_home_opened", "user": ["id"]}, {"type": "user_change", "user": "x"},
              {"type": "user_change", "user": {"id": 5}}, {"type": "user_change", "user": {}},
              {"type": "user_change", "user": {"id": "U0HPJUN001", "tz": 5}},
              {"type": "app_home_opened", "user": "U0X", "channel": 5}],
    "team_id": [5, {}, "T" * 300],
    "event_id": [5, {}, [], "E" * 300],
    "authorizations": [5, "x", [1], {}],
    "team": [5, ["id"]],
    "user": [5, ["id"]],
}  # fmt: skip

RAW_BODIES = [
    "[]", "null", "1", '"x"', "true", "[1,2]", "{not json", "{}", "payload=null", "payload=[]",
    "payload=1", "payload=%22x%22", "payload=%7B", "payload={}", "payload=[1]",
    "command=/mentor", "command=/mentor&user_id=", "command=/mentor&user_id=U0X",
    "command=/mentor&text=help&user_id=" + "U" * 300 + "&trigger_id=1",
]  # fmt: skip


def wrong_shapes(outsider: str, response_url: str) -> list[Shape]:
    """Every case, built around real callback and action ids so Bolt would route them."""
    shapes: list[Shape] = []
    for kind, callback_id, action_id in (
        ("block_actions", "goals-set", "goals-edit"),
        ("view_submission", "goals-set", "goals-edit"),
        ("view_closed", "goals-set", "goals-edit"),
        ("shortcut", "goals-set", "goals-edit"),
        (None, "goals-set", "goals-edit"),
    ):
        for key, values in WRONG_VALUES.items():
            for value in values:
                payload = _interaction(str(kind), outsider, callback_id, action_id, response_url)
                payload["type"] = kind
                payload[key] = value
                name = f"{kind} {key}={json.dumps(value)[:40]}"
                shapes.append(Shape(name, _payload(payload), FORM))
    for key, values in EVENT_WRONG_VALUES.items():
        for value in values:
            envelope: dict[str, Any] = {
                "type": "event_callback",
                "team_id": TEAM_ID,
                "event_id": "Ev0HOSTILE1",
                "event": {"type": "app_home_opened", "user": outsider, "tab": "home"},
            }
            envelope[key] = value
            name = f"event {key}={json.dumps(value)[:40]}"
            shapes.append(Shape(name, json.dumps(envelope), JSON))
    for body in RAW_BODIES:
        for content_type in (JSON, FORM):
            shapes.append(Shape(f"raw {content_type} {body[:40]}", body, content_type))
    return shapes


# Shapes the issue names: each answered 500 before the guard (see `issues show 12`).
NAMED_IN_ISSUE = (
    'block_actions team="T0BARS"',
    'event event="x"',
    "view_submission view=null",
    'block_actions actions="x"',
)
