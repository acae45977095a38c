"""Small Block Kit builders shared by the emulator tests."""

from __future__ import annotations

from typing import Any


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    """A mrkdwn section block."""
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def plain(text: str) -> dict[str, str]:
    """A plain_text object."""
    return {"type": "plain_text", "text": text}


def modal(**fields: Any) -> dict[str, Any]:
    """A valid modal; keyword arguments replace or add fields."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "twoway-goal",
        "title": plain("Set a goal"),
        "blocks": [section("What do you want to learn?")],
    }
    view.update(fields)
    return view
