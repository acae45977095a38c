"""The `/mentor` subcommands that exist, and how a command's text is split.

Each feature adds its subcommands here when it lands, so `/mentor help` never
lists something that does not work.
"""

from __future__ import annotations

from dataclasses import dataclass

SLASH_COMMAND = "/mentor"


@dataclass(frozen=True)
class Subcommand:
    usage: str  # what follows `/mentor`, e.g. "join [program]"
    summary: str
    coordinators_only: bool = False


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "Show this list of commands."),
    Subcommand("join [program]", "Join a reverse-mentoring program as a senior or a junior."),
    Subcommand("profile", "Edit what you share, what you want to learn and your hours."),
    Subcommand("pair", "Your current partner(s), since when, and the next rotation."),
    Subcommand("goals", "Your goals and your partner's; set or update yours."),
    Subcommand("next", "Your next session and the agenda so far."),
    Subcommand("log", "Log a session you held without a nudge (date, minutes)."),
    Subcommand("learnings", "Your learning log, newest first; add an entry any time."),
    Subcommand("actions", "Your open action items: what you said you would apply."),
    Subcommand("feedback", "Feedback you received and gave (only you and your partner see it)."),
    Subcommand("survey", "Open this quarter's reflection survey, if one is open for you."),
    Subcommand("pause [until YYYY-MM-DD]", "Pause your participation (no matching, no nudges)."),
    Subcommand("resume", "Come back after a pause."),
    Subcommand("leave", "Leave a program (asks for confirmation first)."),
    Subcommand("admin channel", "Make this channel the coordinators' admin channel.", True),
    Subcommand("admin program create", "Create a program (a cohort) in a form.", True),
    Subcommand("admin program list", "All programs with their status and size.", True),
    Subcommand("admin program show NAME", "One program's settings and numbers.", True),
    Subcommand("admin program close NAME", "Close a program (asks for confirmation).", True),
    Subcommand("admin match [program]", "Preview the next round's pairs to confirm.", True),
    Subcommand("admin rotate [program]", "End this round and preview the next one.", True),
)


@dataclass(frozen=True)
class ParsedCommand:
    name: str  # first word, lower-cased; "" when the text is empty
    args: list[str]

    @property
    def is_admin(self) -> bool:
        return self.name == "admin"


def parse_command(text: str | None) -> ParsedCommand:
    words = (text or "").split()
    if not words:
        return ParsedCommand("", [])
    return ParsedCommand(words[0].lower(), words[1:])
