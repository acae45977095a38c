"""The three-step external upload that ``WebClient.files_upload_v2`` performs.

1. files.getUploadURLExternal reserves a file id and hands out an upload URL;
2. the client POSTs the bytes there (served by the HTTP server, see ``receive_upload``);
3. files.completeUploadExternal names the files and shares them into channels.
"""

from __future__ import annotations

import mimetypes
import time
from typing import Any

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response, invalid_arguments
from bot.slack_emulator.methods.chat import new_message
from bot.slack_emulator.methods.conversations import postable_channel
from bot.slack_emulator.state import Workspace


def files_get_upload_url_external(ws: Workspace, args: Args) -> Response:
    """Reserve a file id and an upload URL for ``length`` bytes named ``filename``."""
    filename = args.required("filename")
    length = args.number("length", 0)
    if length <= 0:
        raise invalid_arguments("missing required field: length")
    file_id = ws.ids.new_id("F")
    token = ws.ids.token()
    ws.upload_tokens[token] = file_id
    ws.files[file_id] = {
        "id": file_id,
        "name": filename,
        "title": filename,
        "declared_length": length,
        "alt_txt": args.text("alt_txt"),
        "content": None,
        "completed": False,
        "channels": [],
    }
    return {"ok": True, "upload_url": f"{ws.base_url}/upload/v1/{token}", "file_id": file_id}


def receive_upload(ws: Workspace, token: str, data: bytes) -> bool:
    """Store bytes POSTed to an upload URL; ``False`` when the URL was never issued."""
    with ws.lock:
        file_id = ws.upload_tokens.get(token)
        if file_id is None:
            return False
        ws.files[file_id]["content"] = data
        return True


def file_object(ws: Workspace, stored: dict[str, Any]) -> dict[str, Any]:
    """A file as Slack describes it (without the bytes)."""
    mimetype = mimetypes.guess_type(stored["name"])[0] or "application/octet-stream"
    extension = stored["name"].rsplit(".", 1)[-1].lower() if "." in stored["name"] else "binary"
    url = f"https://files.slack.com/files-pri/{ws.team_id}-{stored['id']}/{stored['name']}"
    now = int(time.time())
    return {
        "id": stored["id"],
        "created": now,
        "timestamp": now,
        "name": stored["name"],
        "title": stored["title"],
        "mimetype": mimetype,
        "filetype": extension,
        "user": ws.bot_user_id,
        "user_team": ws.team_id,
        "size": len(stored["content"] or b""),
        "mode": "hosted",
        "is_external": False,
        "is_public": False,
        "url_private": url,
        "url_private_download": url.replace("files-pri", "files-pri-download", 1),
        "permalink": f"https://{ws.domain}.slack.com/files/{ws.bot_user_id}/{stored['id']}",
        "channels": list(stored["channels"]),
        "alt_txt": stored.get("alt_txt") or "",
    }


def _share(ws: Workspace, channels: list[str], files: list[dict[str, Any]], args: Args) -> None:
    """Post the files into each channel, with the initial comment as the message text."""
    comment = args.text("initial_comment") or ""
    for channel in channels:
        message = new_message(ws, {"text": comment}, ts=ws.ids.next_ts())
        message["text"] = comment
        message["files"] = [file_object(ws, f) for f in files]
        message["upload"] = True
        thread_ts = args.text("thread_ts")
        if thread_ts:
            message["thread_ts"] = thread_ts
        ws.messages.setdefault(channel, []).append(message)


def files_complete_upload_external(ws: Workspace, args: Args) -> Response:
    """Finish uploads: each file must have been uploaded; share it where asked."""
    requested = args.decoded("files")
    if not isinstance(requested, list) or not requested:
        raise invalid_arguments("missing required field: files")
    targets = args.csv("channels")
    if args.text("channel_id"):
        targets = [args.required("channel_id"), *targets]
    channels = list(dict.fromkeys(postable_channel(ws, c) for c in targets))
    completed = []
    for entry in requested:
        stored = ws.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
        if stored is None or stored["content"] is None:
            raise ApiError("file_not_found")
        stored["title"] = entry.get("title") or stored["name"]
        stored["completed"] = True
        stored["channels"] = channels
        stored["initial_comment"] = args.text("initial_comment")
        stored["thread_ts"] = args.text("thread_ts")
        completed.append(stored)
    _share(ws, channels, completed, args)
    return {"ok": True, "files": [file_object(ws, f) for f in completed]}


METHODS: dict[str, Method] = {
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
