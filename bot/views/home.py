"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.commands import SLASH_COMMAND
from bot.services.home import HomeStatus
from bot.views.blocks import context, divider, header, section

HOME_CALLBACK_ID = "twoway-home"


def _status_blocks(status: HomeStatus | None, user_id: str) -> list[dict[str, Any]]:
    if status is None or not (status.enrolments or status.open_programs):
        return [
            section(
                "*Your programs*\nYou are not in a program yet, and none is open to join right now."
            )
        ]
    blocks: list[dict[str, Any]] = []
    if status.enrolments:
        lines = "\n".join(
            f"• *{e.program_name}* — {e.role.value}, {e.status.value}"
            for e in status.enrolments[:10]
        )
        blocks.append(section(f"*Your programs*\n{lines}"))
    if status.pairs:
        lines = "\n".join(
            f"• {', '.join(f'<@{p.user_id}>' for p in pair.partners_of(user_id))} in *{pair.program_name}*, round {pair.round}"
            for pair in status.pairs[:10]
        )
        blocks.append(section(f"*Your partners*\n{lines}"))
    elif status.enrolments:
        blocks.append(
            section("*Your partners*\nYou'll meet your partner at the next matching round.")
        )
    if status.open_programs:
        names = ", ".join(f"*{n}*" for n in status.open_programs[:10])
        blocks.append(section(f"*Open to join:* {names} — type `{SLASH_COMMAND} join`."))
    return blocks


def build_home(*, user_id: str, status: HomeStatus | None = None) -> dict[str, Any]:
    """Welcome, what reverse mentoring is, and where this person stands."""
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
            *_status_blocks(status, user_id),
            context(f"Type `{SLASH_COMMAND} help` in any channel to see what you can do."),
        ],
    }
