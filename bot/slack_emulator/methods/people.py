"""Who is calling and who is in the workspace: api.test, auth.test, team.info, users.*."""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response
from bot.slack_emulator.state import Workspace

USERS_LIST_MAX = 1000


def api_test(ws: Workspace, args: Args) -> Response:
    """Echo the arguments back; ``error`` makes it fail with that code, as Slack's does."""
    if "error" in args:
        raise ApiError(args.required("error"))
    return {"ok": True, "args": {k: v for k, v in args.values.items() if k != "token"}}


def auth_test(ws: Workspace, args: Args) -> Response:
    """Identify the bot: Bolt calls this once at start-up to learn its ids."""
    return {
        "ok": True,
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def team_info(ws: Workspace, args: Args) -> Response:
    """The workspace's name and domain."""
    return {
        "ok": True,
        "team": {
            "id": ws.team_id,
            "name": ws.team_name,
            "url": f"https://{ws.domain}.slack.com/",
            "domain": ws.domain,
            "email_domain": "",
            "icon": {"image_default": True, "image_34": "https://avatars.example/team_34.png"},
            "avatar_base_url": "https://ca.slack-edge.com/",
            "is_verified": False,
        },
    }


def _with_locale(user: dict[str, Any], args: Args) -> dict[str, Any]:
    """A copy of the user, with ``locale`` when the caller asked for it."""
    copy = dict(user)
    if args.flag("include_locale"):
        copy["locale"] = "en-US"
    return copy


def users_info(ws: Workspace, args: Args) -> Response:
    """One user; deactivated users are still returned, with ``deleted: true``."""
    user = ws.users.get(args.required("user", error="user_not_found"))
    if user is None:
        raise ApiError("user_not_found")
    return {"ok": True, "user": _with_locale(user, args)}


def _decode_cursor(cursor: str, ws: Workspace) -> int:
    """Slack cursors are opaque base64 (``dXNlcjpVMDYx...`` is ``user:U061...``)."""
    try:
        kind, _, user_id = base64.b64decode(cursor, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_cursor") from None
    ids = list(ws.users)
    if kind != "user" or user_id not in ids:
        raise ApiError("invalid_cursor")
    return ids.index(user_id)


def users_list(ws: Workspace, args: Args) -> Response:
    """Every member (bots, Slackbot and deactivated users included), page by page."""
    limit = args.number("limit", 0)
    if limit <= 0 or limit > USERS_LIST_MAX:
        limit = USERS_LIST_MAX
    cursor = args.text("cursor")
    start = _decode_cursor(cursor, ws) if cursor else 0
    users = list(ws.users.values())
    page = users[start : start + limit]
    following = users[start + limit] if start + limit < len(users) else None
    next_cursor = base64.b64encode(f"user:{following['id']}".encode()).decode() if following else ""
    return {
        "ok": True,
        "members": [_with_locale(u, args) for u in page],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor},
    }


METHODS: dict[str, Method] = {
    "api.test": api_test,
    "auth.test": auth_test,
    "team.info": team_info,
    "users.info": users_info,
    "users.list": users_list,
}
