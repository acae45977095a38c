"""The `/mentor` slash command: what a subcommand is, and how a command's text is split.

Each feature declares its own subcommands in its `FEATURE` (see `bot.registry`), so
`/mentor help` never lists something that does not work.
"""

from __future__ import annotations

from dataclasses import dataclass

SLASH_COMMAND = "/mentor"


@dataclass(frozen=True)
class Subcommand:
    usage: str  # what follows `/mentor`, e.g. "join [program]"
    summary: str
    coordinators_only: bool = False


@dataclass(frozen=True)
class ParsedCommand:
    name: str  # first word, lower-cased; "" when the text is empty
    args: list[str]

    @property
    def is_admin(self) -> bool:
        return self.name == "admin"


def parse_command(text: object) -> ParsedCommand:
    """The subcommand and its arguments; anything but text reads as an empty command."""
    words = text.split() if isinstance(text, str) else []
    if not words:
        return ParsedCommand("", [])
    return ParsedCommand(words[0].lower(), words[1:])
