"""Small constructors for the Block Kit elements every view uses, with Slack's limits."""

from __future__ import annotations

from typing import Any

SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100


def clip(text: str, limit: int) -> str:
    """Cut text to a Slack limit, marking the cut rather than letting Slack reject the call."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": clip(text, HEADER_TEXT_LIMIT), "emoji": True},
    }


def section(markdown: str, *, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": clip(markdown, SECTION_TEXT_LIMIT)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def context(*markdown: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(m, 2000)} for m in markdown[:10]],
    }


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str,
    style: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button; `style` is "primary" or "danger", `confirm` a Slack confirmation dialog."""
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, 75)},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element
