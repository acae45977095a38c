"""Interactivity payloads (block actions, view submissions) shaped like Slack's."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.support.slack_requests import TEAM_ID, SlackRequests


def _trigger() -> str:
    return f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}"


def click(
    slack: SlackRequests,
    *,
    user: str,
    action_id: str,
    value: str,
    channel: str = "C0ADMIN001",
    message_ts: str = "1764050000.000100",
    block_id: str = "actions",
    selected_value: str | None = None,
) -> Any:
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": "button",
        "value": value,
        "action_ts": f"{time.time():.6f}",
    }
    if selected_value is not None:
        action = {
            **action,
            "type": "overflow",
            "selected_option": {
                "text": {"type": "plain_text", "text": "x"},
                "value": selected_value,
            },
        }
        action.pop("value")
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": _trigger(),
        "channel": {"id": channel, "name": "channel"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": slack.response_url,
        "actions": [action],
    }
    return slack.interaction(payload)


def submit_view(
    slack: SlackRequests,
    *,
    user: str,
    view: dict[str, Any],
    view_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
) -> Any:
    """Submit a modal the app opened, with `values` as its state."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "trigger_id": _trigger(),
        "view": {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "state": {"values": values},
            "hash": uuid.uuid4().hex[:20],
        },
        "response_urls": [],
    }
    return slack.interaction(payload)


def text(action_id: str, value: str) -> dict[str, dict[str, Any]]:
    return {action_id: {"type": "plain_text_input", "value": value}}


def option(action_id: str, value: str) -> dict[str, dict[str, Any]]:
    return {
        action_id: {
            "type": "static_select",
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
        }
    }


def picked_date(action_id: str, value: str | None) -> dict[str, dict[str, Any]]:
    return {action_id: {"type": "datepicker", "selected_date": value}}


def channel(action_id: str, value: str | None) -> dict[str, dict[str, Any]]:
    return {action_id: {"type": "conversations_select", "selected_conversation": value}}
