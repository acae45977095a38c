"""manifest.yml gives a coordinator a working app in one paste, asking for no more than the
code uses: every subscribed event has a listener, every scope a code path that needs it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt import App, BoltRequest, BoltResponse

from bot.commands import SLASH_COMMAND
from bot.config import Settings
from bot.runtime import build_runtime
from handlers import create_bolt_app, discover_features

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "manifest.yml"

# Why each scope is asked for: a file and a pattern in it that needs the scope.
SCOPE_USES: dict[str, tuple[str, str]] = {
    "commands": ("bot/commands.py", r'SLASH_COMMAND = "/mentor"'),
    "chat:write": ("bot/slack/gateway.py", r'"chat\.postMessage"'),
    # a person's own DM (surveys, check-ins, feedback): conversations.open with one user
    "im:write": ("bot/messages/surveys.py", r"open_with=\(person\.user_id,\)"),
    # the pair's group DM (two people and the bot): conversations.open with the pair
    "mpim:write": ("bot/messages/pairs.py", r"open_with=pair\.user_ids"),
    # users.info (timezone, admin flag) and the user_change event
    "users:read": ("bot/slack/gateway.py", r'"users\.info"'),
    # match preview CSVs and .ics invites, through files_upload_v2
    "files:write": ("bot/slack/gateway.py", r"files_upload_v2"),
    # invitations to a channel's members: conversations.members (public, then private)
    "channels:read": ("bot/slack/gateway.py", r'"conversations\.members"'),
    "groups:read": ("bot/slack/gateway.py", r'"conversations\.members"'),
    # invitations to a user group's members
    "usergroups:read": ("bot/slack/gateway.py", r'"usergroups\.users\.list"'),
    # a win posted to the program's public celebration channel, which the bot need not join
    "chat:write.public": ("bot/messages/celebrations.py", r"channel=found\.channel_id"),
}

# The bot scope each Web API method the gateway calls needs (None: no scope).
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "users.info": "users:read",
    "users.list": "users:read",  # a coordinator named as @handle
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "files.upload_v2": "files:write",
    "views.publish": None,
    "views.open": None,
    "views.update": None,
    "conversations.open": "mpim:write",  # and im:write for one person, see SCOPE_USES
    "conversations.members": "channels:read",  # and groups:read for private channels
    "usergroups.users.list": "usergroups:read",
}

# The scope an event needs to be delivered at all (None: none).
EVENT_SCOPES: dict[str, str | None] = {
    "app_home_opened": None,
    "user_change": "users:read",
    "app_uninstalled": None,
    "tokens_revoked": None,
}


def _manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def _scopes() -> set[str]:
    return set(_manifest()["oauth_config"]["scopes"]["bot"])


def _events() -> list[str]:
    return list(_manifest()["settings"]["event_subscriptions"]["bot_events"])


@pytest.fixture(scope="module")
def bolt_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    """The app as production builds it (nothing here touches the database or Slack)."""
    database = tmp_path_factory.mktemp("manifest") / "unused.db"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN="xoxb-manifest",
        SLACK_SIGNING_SECRET="manifest-secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DATABASE_URL=f"sqlite:///{database}",
        TWOWAY_SCHEDULER="off",
    )
    runtime = build_runtime(settings, features=discover_features())
    runtime.workspace_id, runtime.team_id = 1, "T0MANIFEST"
    return create_bolt_app(runtime)


def _listens_to(app: App, event_type: str) -> bool:
    body = {
        "type": "event_callback",
        "team_id": "T0MANIFEST",
        "event_id": "Ev0MANIFEST",
        "event": {"type": event_type, "event_ts": "1.0"},
    }
    request = BoltRequest(body=body, mode="socket_mode")
    return any(
        listener.matches(req=request, resp=BoltResponse(status=200))
        for listener in app._listeners  # Bolt keeps its registered listeners here
    )


def test_manifest_declares_command_home_events_and_socket_mode() -> None:
    manifest = _manifest()
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [SLASH_COMMAND]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert {"app_home_opened", "user_change", "app_uninstalled", "tokens_revoked"} <= set(_events())


def test_every_subscribed_event_has_a_listener(bolt_app: App) -> None:
    assert [event for event in _events() if not _listens_to(bolt_app, event)] == []
    assert not _listens_to(bolt_app, "reaction_added")  # the check can say no


def test_every_event_listened_to_is_subscribed() -> None:
    listened = {
        name
        for path in (ROOT / "handlers").glob("*.py")
        for name in re.findall(r'app\.event\("([a-z_]+)"\)', path.read_text())
    }
    assert listened == set(_events())


def test_every_scope_is_justified_by_a_code_path() -> None:
    assert _scopes() == set(SCOPE_USES)
    for scope, (path, pattern) in SCOPE_USES.items():
        assert re.search(pattern, (ROOT / path).read_text()), (scope, path, pattern)


def test_every_method_and_event_the_code_uses_has_its_scope() -> None:
    gateway = (ROOT / "bot/slack/gateway.py").read_text()
    called = set(re.findall(r'self\._call\(\s*"([a-zA-Z_.0-9]+)"', gateway))
    assert called, "no Web API method found in the gateway"
    assert called <= set(METHOD_SCOPES), called - set(METHOD_SCOPES)
    needed = {METHOD_SCOPES[m] for m in called} | {EVENT_SCOPES[e] for e in _events()}
    assert needed - {None} <= _scopes()


def test_manifest_descriptions_fit_slack_limits() -> None:
    info = _manifest()["display_information"]
    assert len(info["name"]) <= 35
    assert len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
