"""A small modal with one sentence: how a click without a thread (the Home) is answered."""

from __future__ import annotations

from typing import Any

from bot.views.blocks import section


def notice_modal(text: str, *, title: str = "twoway") -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [section(text)],
    }
