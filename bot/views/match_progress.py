"""A confirmed preview while its pairs are introduced: the count, and a way to continue.

The *Continue* button is the preview's Confirm action (same id, same run): pressed again
on a round whose introductions stopped (the process died, the database went away), it
sends what is left instead of answering "already confirmed".
"""

from __future__ import annotations

from typing import Any

from bot.views.blocks import button, context, section
from bot.views.matching import MatchIds

CONTINUE_HINT = "If this count stops moving, press *Continue* to send what is left."


def build_introducing(text: str, run_id: int, *, hint: str = CONTINUE_HINT) -> dict[str, Any]:
    """The preview, edited: where the introductions stand, and *Continue*."""
    return {
        "text": text,
        "blocks": [
            section(text),
            context(hint),
            {
                "type": "actions",
                "elements": [button("Continue", MatchIds.CONFIRM, str(run_id), "primary")],
            },
        ],
    }
