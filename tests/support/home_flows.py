"""App Home helpers: open the Home, check the view Slack got, press its buttons."""

from __future__ import annotations

import time
import uuid
from typing import Any

from slack_sdk.models.views import View

from bot.slack_emulator import SlackEmulator
from bot.views.blocks import VIEW_BLOCK_LIMIT
from tests.support.app_server import AppServer
from tests.support.slack_requests import TEAM_ID, SlackRequests


def open_home(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, user_id: str
) -> dict[str, Any]:
    """The person opens the Home tab; the view published for them (checked valid)."""
    before = len(emulator.calls("views.publish"))
    slack.event({"type": "app_home_opened", "user": user_id, "tab": "home"})
    app_server.wait_idle()
    calls = emulator.calls("views.publish")[before:]
    assert [c.args["user_id"] for c in calls] == [user_id]
    assert calls[0].ok, calls[0].response
    view = calls[0].json("view")
    assert_valid_home(view)
    return view


def assert_valid_home(view: dict[str, Any]) -> None:
    """What Slack demands of a Home: ≤100 blocks, unique block ids, text within limits."""
    View(**view).validate_json()
    blocks = view["blocks"]
    assert 0 < len(blocks) <= VIEW_BLOCK_LIMIT
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids))
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75


def text_of(view: dict[str, Any]) -> str:
    return str(view["blocks"])


def buttons(view: dict[str, Any]) -> dict[str, list[str]]:
    """Every button on the view by action id: the values they carry."""
    found: dict[str, list[str]] = {}
    for block in view["blocks"]:
        elements = [
            *block.get("elements", []),
            *([block["accessory"]] if "accessory" in block else []),
        ]
        for element in elements:
            if isinstance(element, dict) and element.get("type") == "button":
                found.setdefault(element["action_id"], []).append(element["value"])
    return found


def press_on_home(slack: SlackRequests, *, user: str, action_id: str, value: str) -> Any:
    """A signed block_actions from the Home tab: a view container, no channel, no response_url."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "twoway-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0TWOWAY01",
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": "V0HOME0001"},
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}",
        "view": {"id": "V0HOME0001", "type": "home", "callback_id": "twoway-home", "blocks": []},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "home",
                "type": "button",
                "value": value,
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return slack.interaction(payload)


def opened_views(emulator: SlackEmulator, since: int) -> list[dict[str, Any]]:
    return [c.json("view") for c in emulator.calls("views.open")[since:] if c.ok]
