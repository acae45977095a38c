"""The `/mentor help` message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.commands import SLASH_COMMAND, Subcommand
from bot.views.blocks import context, divider, header, section


def _lines(commands: Sequence[Subcommand]) -> str:
    return "\n".join(f"`{SLASH_COMMAND} {c.usage}` — {c.summary}" for c in commands)


def build_help(
    commands: Sequence[Subcommand], *, unknown: str | None = None, is_coordinator: bool = False
) -> dict[str, Any]:
    """Help as an ephemeral message body: `text` for notifications, `blocks` for display.
    `commands` are the registry's, in the order the features declare them."""
    blocks: list[dict[str, Any]] = []
    if unknown:
        blocks.append(
            section(
                f":thinking_face: I don't know `{SLASH_COMMAND} {unknown[:40]}`. Here's what I can do:"
            )
        )
    blocks.append(header("twoway — reverse mentoring in Slack"))
    blocks.append(section(_lines([c for c in commands if not c.coordinators_only])))
    admin = [c for c in commands if c.coordinators_only]
    if is_coordinator and admin:
        blocks += [
            divider(),
            section("*For coordinators* (in the admin channel)\n" + _lines(admin)),
        ]
    blocks.append(
        context(
            "Juniors share digital fluency and fresh eyes; seniors share context and "
            "career guidance. What a pair writes stays with the pair."
        )
    )
    shown = [c for c in commands if is_coordinator or not c.coordinators_only]
    text = "twoway commands: " + ", ".join(f"{SLASH_COMMAND} {c.usage}" for c in shown)
    return {"response_type": "ephemeral", "text": text, "blocks": blocks}
