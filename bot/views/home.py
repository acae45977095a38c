"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.commands import SLASH_COMMAND
from bot.views.blocks import context, divider, header, section

HOME_CALLBACK_ID = "twoway-home"


def build_home(*, user_id: str) -> dict[str, Any]:
    """Welcome and what reverse mentoring is; later features add the user's status here."""
    return {
        "type": "home",
        "callback_id": HOME_CALLBACK_ID,
        "blocks": [
            header("Welcome to twoway :wave:"),
            section(
                f"Hi <@{user_id}>! twoway runs *reverse-mentoring* programs right here in Slack."
            ),
            section(
                "*How it works*\n"
                "• *Juniors* bring digital fluency, current trends and fresh eyes.\n"
                "• *Seniors* bring institutional memory, strategic context and career guidance.\n"
                "• Pairs set measurable goals, meet for 20–45 minutes on a steady rhythm, "
                "log what they learned and what they will apply, and reflect every quarter."
            ),
            section(
                "*Your privacy*\nWhat you and your partner write stays with the two of you. "
                "Coordinators only ever see totals, and never for fewer than 3 people."
            ),
            divider(),
            section("*Your programs*\nYou are not in a program yet."),
            context(f"Type `{SLASH_COMMAND} help` in any channel to see what you can do."),
        ],
    }
