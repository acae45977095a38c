"""``apps.connections.open``: the app-level (``xapp-``) method that starts Socket Mode."""

from __future__ import annotations

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response
from bot.slack_emulator.state import Workspace


def connections_open(ws: Workspace, args: Args) -> Response:
    """A one-time websocket URL; the emulator starts its Socket Mode server on first use."""
    if ws.socket_links is None:
        raise ApiError("internal_error")
    return {"ok": True, "url": ws.socket_links()}


METHODS: dict[str, Method] = {"apps.connections.open": connections_open}
