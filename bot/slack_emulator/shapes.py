"""Builders for the JSON objects Slack returns: users, conversations, messages, views, files.

Kept apart from the state so each object's shape lives in one place and matches what the
real API sends (field names included), whichever method returns it.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_COLORS = ("9f69e7", "4bbe2e", "e7392d", "3c989f", "674b1b", "e96699", "e0a729", "684b6c")


def team_domain(team_name: str) -> str:
    """``"Twoway Test"`` becomes ``"twoway-test"``, the workspace's slack.com subdomain."""
    slug = "".join(c if c.isalnum() else "-" for c in team_name.lower()).strip("-")
    return "-".join(part for part in slug.split("-") if part) or "workspace"


def tz_fields(tz: str) -> dict[str, Any]:
    """Slack's ``tz``/``tz_label``/``tz_offset`` trio, computed for the current instant."""
    try:
        now = datetime.now(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        now = datetime.now(ZoneInfo("UTC"))
        tz = "UTC"
    offset = now.utcoffset()
    return {
        "tz": tz,
        "tz_label": now.tzname() or tz,
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
    }


def user_object(
    *,
    user_id: str,
    team_id: str,
    name: str,
    real_name: str,
    tz: str,
    is_admin: bool,
    is_owner: bool,
    deleted: bool,
    is_bot: bool,
    bot_id: str | None = None,
) -> dict[str, Any]:
    """A ``users.info``-shaped user."""
    display_name = "" if is_bot else name
    profile: dict[str, Any] = {
        "title": "",
        "phone": "",
        "real_name": real_name,
        "real_name_normalized": real_name,
        "display_name": display_name,
        "display_name_normalized": display_name,
        "status_text": "",
        "status_emoji": "",
        "avatar_hash": "g" + user_id[-11:].lower(),
        "image_48": f"https://avatars.example/{user_id}_48.png",
        "image_72": f"https://avatars.example/{user_id}_72.png",
        "team": team_id,
    }
    if is_bot:
        profile["bot_id"] = bot_id
    else:
        profile["email"] = f"{name}@example.com"
    return {
        "id": user_id,
        "team_id": team_id,
        "name": name,
        "deleted": deleted,
        "color": _COLORS[sum(map(ord, user_id)) % len(_COLORS)],
        "real_name": real_name,
        **tz_fields(tz),
        "profile": profile,
        "is_admin": is_admin,
        "is_owner": is_owner,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": int(time.time()),
        "is_email_confirmed": not is_bot,
    }


def channel_object(
    *,
    channel_id: str,
    name: str,
    creator: str,
    is_private: bool,
    is_archived: bool,
    is_mpim: bool = False,
    is_general: bool = False,
) -> dict[str, Any]:
    """A ``conversations.info``-shaped public/private channel or group DM."""
    now = int(time.time())
    return {
        "id": channel_id,
        "name": name,
        # Modern Slack: private channels are ``C…`` with is_channel true and is_group false.
        "is_channel": not is_mpim,
        "is_group": False,
        "is_im": False,
        "is_mpim": is_mpim,
        "is_private": is_private or is_mpim,
        "created": now,
        "is_archived": is_archived,
        "is_general": is_general,
        "unlinked": 0,
        "name_normalized": name,
        "is_shared": False,
        "is_org_shared": False,
        "is_ext_shared": False,
        "is_pending_ext_shared": False,
        "creator": creator,
        "topic": {"value": "", "creator": "", "last_set": 0},
        "purpose": {"value": "", "creator": "", "last_set": 0},
        "previous_names": [],
    }


def im_object(*, channel_id: str, user_id: str, user_deleted: bool) -> dict[str, Any]:
    """A ``conversations.info``-shaped 1:1 DM between the bot and ``user_id``."""
    return {
        "id": channel_id,
        "created": int(time.time()),
        "is_archived": False,
        "is_im": True,
        "is_org_shared": False,
        "user": user_id,
        "is_user_deleted": user_deleted,
        "priority": 0,
    }


def bot_profile(*, bot_id: str, app_id: str, team_id: str, name: str) -> dict[str, Any]:
    """The ``bot_profile`` Slack attaches to every message a bot posts."""
    return {
        "id": bot_id,
        "app_id": app_id,
        "name": name,
        "icons": {"image_48": "https://avatars.example/bot_48.png"},
        "deleted": False,
        "updated": int(time.time()),
        "team_id": team_id,
    }
