"""chat.postMessage, postEphemeral, update, delete and getPermalink."""

from __future__ import annotations

from typing import Any

from bot.slack_emulator import shapes
from bot.slack_emulator.ids import ts_to_permalink_part
from bot.slack_emulator.methods._common import ApiError, Args, Method, Response
from bot.slack_emulator.methods.conversations import postable_channel, visible_conversation
from bot.slack_emulator.state import Workspace
from bot.slack_emulator.validation import (
    MESSAGE_MAX_ATTACHMENTS,
    message_block_errors,
    message_text_too_long,
)

FALLBACK_TEXT = "This content can't be displayed."
CONTENT_FIELDS = ("text", "blocks", "attachments")


def message_content(args: Args, *, required: bool = True) -> dict[str, Any]:
    """The validated ``text``/``blocks``/``attachments`` of a message, as Slack checks them."""
    present = {name: args.values[name] for name in CONTENT_FIELDS if name in args.values}
    text = args.text("text")
    try:
        blocks = args.decoded("blocks")
    except ApiError:
        raise ApiError("invalid_blocks_format") from None
    try:
        attachments = args.decoded("attachments")
    except ApiError:
        raise ApiError("invalid_attachments") from None
    if required and not (text or blocks or attachments):
        raise ApiError("no_text")
    if message_text_too_long(text):
        raise ApiError("msg_too_long")
    content: dict[str, Any] = {}
    if "text" in present:
        content["text"] = text or ""
    if blocks is not None:
        errors = message_block_errors(blocks)
        if errors:
            raise ApiError(
                "invalid_blocks", errors=errors, messages=[f"[ERROR] {e}" for e in errors]
            )
        content["blocks"] = blocks
    if attachments is not None:
        if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
            raise ApiError("invalid_attachments")
        if len(attachments) > MESSAGE_MAX_ATTACHMENTS:
            raise ApiError("too_many_attachments")
        content["attachments"] = [{"id": i + 1, **a} for i, a in enumerate(attachments)]
    return content


def _fill_block_ids(ws: Workspace, blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Slack gives every block without a ``block_id`` a short random one."""
    return [b if "block_id" in b else {**b, "block_id": ws.ids.short_block_id()} for b in blocks]


def new_message(ws: Workspace, content: dict[str, Any], *, ts: str) -> dict[str, Any]:
    """A message posted by the bot, shaped like the ``message`` in Slack's answer."""
    message: dict[str, Any] = {
        "user": ws.bot_user_id,
        "type": "message",
        "ts": ts,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "text": content.get("text") or FALLBACK_TEXT,
        "team": ws.team_id,
        "bot_profile": shapes.bot_profile(
            bot_id=ws.bot_id, app_id=ws.app_id, team_id=ws.team_id, name=ws.bot_name
        ),
    }
    if content.get("blocks"):
        message["blocks"] = _fill_block_ids(ws, content["blocks"])
    if content.get("attachments"):
        message["attachments"] = content["attachments"]
    return message


def _attach_to_thread(ws: Workspace, channel: str, message: dict[str, Any], thread_ts: str) -> None:
    """Make ``message`` a reply and keep the parent's reply counters current."""
    message["thread_ts"] = thread_ts
    parent = ws.find_message(channel, thread_ts)
    if parent is None:
        return
    parent["thread_ts"] = thread_ts
    parent["reply_count"] = parent.get("reply_count", 0) + 1
    parent["reply_users"] = sorted({*parent.get("reply_users", []), ws.bot_user_id})
    parent["reply_users_count"] = len(parent["reply_users"])
    parent["latest_reply"] = message["ts"]


def chat_post_message(ws: Workspace, args: Args) -> Response:
    """Post to a channel, DM (``D…`` or a user id) or group DM."""
    channel = postable_channel(ws, args.required("channel", error="channel_not_found"))
    content = message_content(args)
    message = new_message(ws, content, ts=ws.ids.next_ts())
    thread_ts = args.text("thread_ts")
    if thread_ts:
        _attach_to_thread(ws, channel, message, thread_ts)
    metadata = args.decoded("metadata")
    if metadata:
        message["metadata"] = metadata
    ws.messages.setdefault(channel, []).append(message)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)}


def chat_post_ephemeral(ws: Workspace, args: Args) -> Response:
    """A message only ``user`` sees; they must be in the channel."""
    channel = postable_channel(ws, args.required("channel", error="channel_not_found"))
    user = args.required("user", error="user_not_found")
    if user not in ws.users:
        raise ApiError("user_not_found")
    if user not in ws.members.get(channel, []):
        raise ApiError("user_not_in_channel")
    content = message_content(args)
    ts = ws.ids.next_ts()
    ws.ephemerals.append({**new_message(ws, content, ts=ts), "channel": channel, "to": user})
    return {"ok": True, "message_ts": ts}


def _stored_message(ws: Workspace, args: Args, ts_field: str = "ts") -> tuple[str, dict[str, Any]]:
    """The bot's own message addressed by ``channel`` + ``ts`` (update/delete/permalink)."""
    channel = args.required("channel", error="channel_not_found")
    visible_conversation(ws, channel)
    message = ws.find_message(channel, args.required(ts_field, error="message_not_found"))
    if message is None:
        raise ApiError("message_not_found")
    return channel, message


def chat_update(ws: Workspace, args: Args) -> Response:
    """Edit a message; fields left out keep their previous value, as in Slack."""
    channel, message = _stored_message(ws, args)
    if ws.conversations[channel].get("is_archived"):
        raise ApiError("is_archived")
    if message.get("user") != ws.bot_user_id:
        raise ApiError("cant_update_message")
    if not any(name in args.values for name in CONTENT_FIELDS):
        raise ApiError("no_text")
    content = message_content(args, required=False)
    if "text" in content:
        message["text"] = content["text"] or FALLBACK_TEXT
    if "blocks" in content:
        message["blocks"] = _fill_block_ids(ws, content["blocks"])
    if "attachments" in content:
        message["attachments"] = content["attachments"]
    for name in ("blocks", "attachments"):  # an empty array removes the field, as in Slack
        if not message.get(name):
            message.pop(name, None)
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.ids.next_ts()}
    return {
        "ok": True,
        "channel": channel,
        "ts": message["ts"],
        "text": message["text"],
        "message": dict(message),
    }


def chat_delete(ws: Workspace, args: Args) -> Response:
    """Remove one of the bot's messages."""
    channel, message = _stored_message(ws, args)
    if message.get("user") != ws.bot_user_id:
        raise ApiError("cant_delete_message")
    ws.messages[channel].remove(message)
    return {"ok": True, "channel": channel, "ts": message["ts"]}


def chat_get_permalink(ws: Workspace, args: Args) -> Response:
    """A slack.com link to a message (thread replies carry their thread)."""
    channel, message = _stored_message(ws, args, ts_field="message_ts")
    link = f"https://{ws.domain}.slack.com/archives/{channel}/{ts_to_permalink_part(message['ts'])}"
    thread_ts = message.get("thread_ts")
    if thread_ts and thread_ts != message["ts"]:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return {"ok": True, "channel": channel, "permalink": link}


METHODS: dict[str, Method] = {
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
}
