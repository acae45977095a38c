"""views.open, push, update and publish: modals and the App Home tab."""

from __future__ import annotations

from typing import Any

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response, invalid_arguments
from bot.slack_emulator.state import Workspace
from bot.slack_emulator.validation import view_errors

EMPTY_METADATA = {"messages": [], "warnings": []}


def _valid_view(args: Args, allowed_types: tuple[str, ...]) -> dict[str, Any]:
    """The ``view`` argument, or ``invalid_arguments`` with Slack-style messages."""
    view = args.decoded("view")
    if view is None:
        raise invalid_arguments("missing required field: view")
    errors = view_errors(view, allowed_types=allowed_types)
    if errors:
        raise invalid_arguments(*errors)
    return view


def _stored(
    ws: Workspace, view: dict[str, Any], *, view_id: str, root_view_id: str | None = None
) -> dict[str, Any]:
    """The view as Slack returns it: ids, hash and an empty ``state`` filled in."""
    blocks = [
        b if "block_id" in b else {**b, "block_id": ws.ids.short_block_id()}
        for b in view.get("blocks", [])
    ]
    return {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": blocks,
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": ws.ids.hash(),
        "title": view.get("title"),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "previous_view_id": None,
        "root_view_id": root_view_id or view_id,
        "app_id": ws.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }


def _save(ws: Workspace, stored: dict[str, Any]) -> Response:
    """Keep the view (and its external id) and answer with it."""
    ws.views[stored["id"]] = stored
    if stored["external_id"]:
        ws.external_ids[stored["external_id"]] = stored["id"]
    return {"ok": True, "view": dict(stored), "response_metadata": dict(EMPTY_METADATA)}


def _new_modal(ws: Workspace, args: Args) -> Response:
    """views.open and views.push: a trigger id and a valid modal make a new view."""
    args.required("trigger_id")
    view = _valid_view(args, ("modal",))
    external_id = view.get("external_id")
    if external_id and external_id in ws.external_ids:
        raise ApiError("duplicate_external_id")
    return _save(ws, _stored(ws, view, view_id=ws.ids.new_id("V")))


def views_update(ws: Workspace, args: Args) -> Response:
    """Replace a view found by ``view_id`` or ``external_id``; a stale ``hash`` conflicts."""
    view_id = args.text("view_id")
    external_id = args.text("external_id")
    if view_id is None and external_id is None:
        raise invalid_arguments("missing required field: view_id or external_id")
    if view_id is None and external_id is not None:
        view_id = ws.external_ids.get(external_id)
    current = ws.views.get(view_id or "")
    if current is None:
        raise ApiError("not_found")
    view = _valid_view(args, (current["type"],))
    expected_hash = args.text("hash")
    if expected_hash is not None and expected_hash != current["hash"]:
        raise ApiError("hash_conflict")
    stored = _stored(ws, view, view_id=current["id"], root_view_id=current["root_view_id"])
    stored["previous_view_id"] = current["previous_view_id"]
    if current["type"] == "home":
        ws.home_views[_home_owner(ws, current["id"])] = stored
    return _save(ws, stored)


def _home_owner(ws: Workspace, view_id: str) -> str:
    """The user whose Home tab this view is."""
    return next(user for user, view in ws.home_views.items() if view["id"] == view_id)


def views_publish(ws: Workspace, args: Args) -> Response:
    """Set a user's Home tab; the view id stays the same across publishes."""
    user_id = args.required("user_id")
    if user_id not in ws.users:
        raise ApiError("user_not_found")
    view = _valid_view(args, ("home",))
    current = ws.home_views.get(user_id)
    expected_hash = args.text("hash")
    if current is not None and expected_hash is not None and expected_hash != current["hash"]:
        raise ApiError("hash_conflict")
    view_id = current["id"] if current else ws.ids.new_id("V")
    stored = _stored(ws, view, view_id=view_id)
    ws.home_views[user_id] = stored
    return _save(ws, stored)


METHODS: dict[str, Method] = {
    "views.open": _new_modal,
    "views.push": _new_modal,
    "views.update": views_update,
    "views.publish": views_publish,
}
