"""`/mentor`, `/mentor help` and any unknown subcommand: the help message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.commands import SLASH_COMMAND, parse_command
from bot.views.help import build_help


def handle_help_command(ack: Ack, command: dict[str, Any]) -> None:
    """Answer in the HTTP response itself: no Web API call, well inside 3 seconds."""
    parsed = parse_command(command.get("text"))
    unknown = parsed.name if parsed.name not in {"", "help"} else None
    ack(**build_help(unknown=unknown))


def register(app: App) -> None:
    """Registered last: features claim their subcommands first, this takes the rest."""
    app.command(SLASH_COMMAND)(handle_help_command)
