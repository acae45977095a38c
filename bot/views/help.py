"""The `/mentor help` message, grouped by what people are doing, and the answer to a typo.

Groups come from `GROUPS`, keyed by a subcommand's first word, so a feature that adds a
subcommand lands in the right group without editing this module (an unknown word goes
under "More"). Coordinators' commands (`admin …`) are only shown to coordinators.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from bot.commands import SLASH_COMMAND, Subcommand
from bot.views.blocks import context, header, section

GETTING_STARTED = "Getting started"
MY_PAIR = "My pair"
AFTER_SESSION = "After a session"
MY_DATA = "My data"
COORDINATORS = "For coordinators (in the admin channel)"
MORE = "More"
ORDER = (GETTING_STARTED, MY_PAIR, AFTER_SESSION, MY_DATA, MORE, COORDINATORS)

GROUPS: dict[str, str] = {
    "help": GETTING_STARTED,
    "join": GETTING_STARTED,
    "profile": GETTING_STARTED,
    "pause": GETTING_STARTED,
    "resume": GETTING_STARTED,
    "leave": GETTING_STARTED,
    "pair": MY_PAIR,
    "goals": MY_PAIR,
    "next": MY_PAIR,
    "celebrate": MY_PAIR,
    "log": AFTER_SESSION,
    "learnings": AFTER_SESSION,
    "actions": AFTER_SESSION,
    "feedback": AFTER_SESSION,
    "survey": AFTER_SESSION,
    "record": MY_DATA,
    "mydata": MY_DATA,
    "forget": MY_DATA,
    # Every `admin …` subcommand (match, rotate, channel, program, announce, announcements,
    # invite, status, report, export, coordinators, sponsors, audit) is a coordinator's.
    "admin": COORDINATORS,
}
TYPO_CUTOFF = 0.6  # difflib's ratio: "goasl" → "goals", "jion" → "join"
UNKNOWN_SHOWN = 40  # characters of an unknown command echoed back


def group_of(command: Subcommand) -> str:
    """The group a subcommand is listed under: coordinators' commands always together."""
    if command.coordinators_only:
        return COORDINATORS
    word = command.usage.split()[0].lower() if command.usage.split() else ""
    group = GROUPS.get(word, MORE)
    return MORE if group == COORDINATORS else group


def _line(command: Subcommand) -> str:
    return f"`{SLASH_COMMAND} {command.usage}` — {command.summary}"


def _visible(commands: Sequence[Subcommand], is_coordinator: bool) -> list[Subcommand]:
    return [c for c in commands if is_coordinator or not c.coordinators_only]


def build_help(
    commands: Sequence[Subcommand], *, unknown: str | None = None, is_coordinator: bool = False
) -> dict[str, Any]:
    """Help as an ephemeral message body: `text` for notifications, `blocks` for display.

    `commands` are the registry's, in the order the features declare them. With `unknown`
    (a typo), the answer is the closest command and a pointer to `/mentor help`, not the list.
    """
    shown = _visible(commands, is_coordinator)
    if unknown:
        return _did_you_mean(shown, unknown)
    blocks: list[dict[str, Any]] = [header("twoway — reverse mentoring in Slack")]
    for group in ORDER:
        lines = [_line(c) for c in shown if group_of(c) == group]
        if lines:
            blocks.append(section(f"*{group}*\n" + "\n".join(lines)))
    blocks.append(
        context(
            "Juniors share digital fluency and fresh eyes; seniors share context and "
            "career guidance. What a pair writes stays with the pair."
        )
    )
    text = "twoway commands: " + ", ".join(f"{SLASH_COMMAND} {c.usage}" for c in shown)
    return {"response_type": "ephemeral", "text": text, "blocks": blocks}


def closest_command(commands: Sequence[Subcommand], typed: str) -> str | None:
    """The known command closest to what was typed (`admin statsu` → `admin status`)."""
    words = typed.lower().split()
    if not words:
        return None
    firsts = sorted({c.usage.split()[0].lower() for c in commands if c.usage.split()})
    coordinator = any(c.coordinators_only for c in commands)
    if not coordinator:
        firsts = [w for w in firsts if w != "admin"]
    found = difflib.get_close_matches(words[0], firsts, n=1, cutoff=TYPO_CUTOFF)
    if coordinator and found == ["admin"] and len(words) > 1:  # `admin statsu`
        seconds = sorted({c.usage.split()[1] for c in commands if len(c.usage.split()) > 1})
        second = difflib.get_close_matches(words[1], seconds, n=1, cutoff=TYPO_CUTOFF)
        return f"admin {second[0]}" if second else "admin"
    return found[0] if found else None


def _did_you_mean(commands: Sequence[Subcommand], unknown: str) -> dict[str, Any]:
    echoed = unknown[:UNKNOWN_SHOWN]
    guess = closest_command(commands, unknown)
    lines = [f":thinking_face: I don't know `{SLASH_COMMAND} {echoed}`."]
    if guess:
        lines.append(f"Did you mean `{SLASH_COMMAND} {guess}`?")
    lines.append(f"Type `{SLASH_COMMAND} help` to see everything I can do.")
    text = " ".join(lines)
    return {"response_type": "ephemeral", "text": text, "blocks": [section("\n".join(lines))]}
