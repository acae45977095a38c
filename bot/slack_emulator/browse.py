"""Read-only views of the emulated workspace for someone browsing it (the playground).

Tests inspect calls; a person browsing the workspace needs what one member sees: their
conversations, each one's messages, the ephemeral answers meant for them, the modals
opened with their trigger ids, and the bytes of a shared file. Every function copies.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.slack_emulator.ids import stable_id
from bot.slack_emulator.state import Workspace


def im_id(ws: Workspace, user_id: str) -> str:
    """The id the bot's DM with this user has (or will have once opened)."""
    return stable_id("D", ws.team_id, user_id)


def conversations_of(ws: Workspace, user_id: str) -> list[dict[str, Any]]:
    """Conversations this member can read: public channels, private ones and group DMs
    they belong to, and their DM with the bot; each with ``id``, ``name``, ``kind``, ``members``."""
    found: list[dict[str, Any]] = []
    with ws.lock:
        for cid, conversation in ws.conversations.items():
            members = list(ws.members.get(cid, []))
            if conversation.get("is_im"):
                continue
            if conversation.get("is_mpim"):
                kind = "mpim"
            elif conversation.get("is_private"):
                kind = "private"
            else:
                kind = "public"
            if kind != "public" and user_id not in members:
                continue
            if conversation.get("is_archived"):
                continue
            found.append(
                {"id": cid, "name": conversation.get("name", cid), "kind": kind, "members": members}
            )
    return found


def ephemerals_for(ws: Workspace, user_id: str, channel_id: str) -> list[dict[str, Any]]:
    """``chat.postEphemeral`` messages shown to this member in this conversation."""
    with ws.lock:
        return [
            copy.deepcopy(e)
            for e in ws.ephemerals
            if e.get("to") == user_id and e.get("channel") == channel_id
        ]


def responses_labelled(ws: Workspace, prefix: str) -> list[dict[str, Any]]:
    """Bodies posted to response URLs whose label starts with ``prefix``, with ``url``,
    ``label`` and ``at`` (epoch seconds) added."""
    with ws.lock:
        return [
            {**copy.deepcopy(r["body"]), "url": r["url"], "label": r["label"], "at": r["at"]}
            for r in ws.responses
            if r["label"].startswith(prefix)
        ]


def file_bytes(ws: Workspace, file_id: str) -> tuple[str, bytes] | None:
    """A completed upload's name and bytes."""
    with ws.lock:
        stored = ws.files.get(file_id)
        if stored is None or not stored.get("completed") or stored.get("content") is None:
            return None
        return str(stored["name"]), bytes(stored["content"])


def modals_from_trigger(ws: Workspace, trigger_id: str) -> list[tuple[str, str]]:
    """``(method, view_id)`` for each views.open/views.push that used this trigger id and
    succeeded, in call order."""
    opened: list[tuple[str, str]] = []
    for call in ws.calls.with_trigger(trigger_id):
        if call.method not in {"views.open", "views.push"} or not call.ok:
            continue
        opened.append((call.method, str(call.response["view"]["id"])))
    return opened


def view(ws: Workspace, view_id: str) -> dict[str, Any] | None:
    """A view as last opened, pushed or updated."""
    with ws.lock:
        found = ws.views.get(view_id)
        return copy.deepcopy(found) if found is not None else None


def home(ws: Workspace, user_id: str) -> dict[str, Any] | None:
    """The Home tab last published for this member."""
    with ws.lock:
        found = ws.home_views.get(user_id)
        return copy.deepcopy(found) if found is not None else None
