"""conversations.open/info/members, and the channel rules other methods post under."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response
from bot.slack_emulator.state import Workspace

MPIM_MAX_USERS = 8
MEMBERS_PAGE_MAX = 1000


def visible_conversation(ws: Workspace, channel_id: str) -> dict[str, Any]:
    """A conversation the bot can see: private ones it is not in look absent, as in Slack."""
    conversation = ws.conversations.get(channel_id)
    if conversation is None:
        raise ApiError("channel_not_found")
    private_channel = conversation.get("is_private") and not conversation.get("is_mpim")
    if private_channel and not ws.bot_is_member(channel_id):
        raise ApiError("channel_not_found")
    return conversation


def postable_channel(ws: Workspace, channel: str) -> str:
    """Where a message addressed to ``channel`` lands, or the error Slack gives for it.

    A user id means the bot's DM with that user (opened on the fly, even if the user has
    been deactivated: Slack still accepts the post). ``#name`` is looked up by name.
    Public channels accept posts without membership (the ``chat:write.public`` scope);
    private ones the bot is not in answer ``not_in_channel``.
    """
    if channel.startswith(("U", "W")):
        if channel not in ws.users:
            raise ApiError("channel_not_found")
        return ws.open_im(channel)[0]
    if channel.startswith("#"):
        named = [cid for cid, c in ws.conversations.items() if c.get("name") == channel[1:]]
        if not named:
            raise ApiError("channel_not_found")
        channel = named[0]
    conversation = ws.conversations.get(channel)
    if conversation is None:
        raise ApiError("channel_not_found")
    if conversation.get("is_archived"):
        raise ApiError("is_archived")
    if conversation.get("is_private") and not ws.bot_is_member(channel):
        raise ApiError("not_in_channel")
    return channel


def _check_users(ws: Workspace, user_ids: list[str]) -> None:
    """Every user must exist and be active; a DM with another bot is refused."""
    for user_id in user_ids:
        user = ws.users.get(user_id)
        if user is None:
            raise ApiError("user_not_found")
        if user["deleted"]:
            raise ApiError("user_disabled")
    if len(user_ids) == 1 and ws.users[user_ids[0]]["is_bot"] and user_ids[0] != ws.bot_user_id:
        raise ApiError("cannot_dm_bot")


def conversations_open(ws: Workspace, args: Args) -> Response:
    """Open (or find) the DM with one user or the group DM of 2-8 users plus the bot."""
    channel = args.text("channel")
    if channel is not None:
        conversation = ws.conversations.get(channel)
        if conversation is None or not (conversation["is_im"] or conversation["is_mpim"]):
            raise ApiError("channel_not_found")
        cid, existed = channel, True
    else:
        user_ids = list(dict.fromkeys(args.csv("users")))
        if not user_ids:
            raise ApiError("users_list_not_supplied")
        if len(user_ids) > MPIM_MAX_USERS:
            raise ApiError("too_many_users")
        _check_users(ws, user_ids)
        if len(user_ids) == 1:
            cid, existed = ws.open_im(user_ids[0])
        else:
            cid, existed = ws.open_mpim(user_ids)
    body: Response = {"ok": True}
    if existed:
        body.update({"no_op": True, "already_open": True})
    body["channel"] = _info(ws, cid) if args.flag("return_im") else {"id": cid}
    return body


def _info(ws: Workspace, channel_id: str) -> dict[str, Any]:
    """The conversation object with the caller-specific ``is_member`` added."""
    conversation = dict(ws.conversations[channel_id])
    if conversation["is_im"]:
        user = ws.users.get(conversation["user"])
        conversation["is_user_deleted"] = bool(user and user["deleted"])
    else:
        conversation["is_member"] = ws.bot_is_member(channel_id)
    return conversation


def conversations_info(ws: Workspace, args: Args) -> Response:
    """A conversation's details, with ``num_members`` on request."""
    channel_id = args.required("channel", error="channel_not_found")
    visible_conversation(ws, channel_id)
    conversation = _info(ws, channel_id)
    if args.flag("include_num_members") and not conversation["is_im"]:
        conversation["num_members"] = len(ws.members.get(channel_id, []))
    return {"ok": True, "channel": conversation}


def conversations_members(ws: Workspace, args: Args) -> Response:
    """Member ids of a conversation, paginated with an opaque cursor."""
    channel_id = args.required("channel", error="channel_not_found")
    visible_conversation(ws, channel_id)
    members = ws.members.get(channel_id, [])
    limit = args.number("limit", 100)
    if limit <= 0 or limit > MEMBERS_PAGE_MAX:
        limit = MEMBERS_PAGE_MAX
    start = 0
    cursor = args.text("cursor")
    if cursor:
        try:
            kind, _, offset = base64.b64decode(cursor, validate=True).decode().partition(":")
            start = int(offset)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ApiError("invalid_cursor") from None
        if kind != "offset" or not 0 <= start <= len(members):
            raise ApiError("invalid_cursor")
    end = start + limit
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(members) else ""
    return {
        "ok": True,
        "members": members[start:end],
        "response_metadata": {"next_cursor": next_cursor},
    }


METHODS: dict[str, Method] = {
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
}
