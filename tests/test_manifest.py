"""manifest.yml gives a coordinator a working app in one paste."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.commands import SLASH_COMMAND

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


def _manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def test_manifest_declares_command_home_events_and_socket_mode() -> None:
    manifest = _manifest()
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [SLASH_COMMAND]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert {"app_home_opened", "user_change"} <= set(
        manifest["settings"]["event_subscriptions"]["bot_events"]
    )


def test_manifest_requests_the_scopes_the_gateway_needs() -> None:
    scopes = set(_manifest()["oauth_config"]["scopes"]["bot"])
    # commands, posting, pair group DMs, timezones, file uploads (.ics, charts)
    assert {
        "commands",
        "chat:write",
        "im:write",
        "mpim:write",
        "users:read",
        "files:write",
    } <= scopes


def test_manifest_descriptions_fit_slack_limits() -> None:
    info = _manifest()["display_information"]
    assert len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
