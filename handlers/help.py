"""`/mentor`, `/mentor help` and any unknown subcommand: the help message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows.help import help_message
from bot.registry import Feature
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router


def handle_help_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Answer in the HTTP response itself: no Web API call, no database read.

    Coordinators also see the admin commands; the caller was resolved before this ran.
    """
    parsed = parse_command(command.get("text"))
    unknown = command.get("text", "").strip() if parsed.name not in {"", "help"} else None
    ack(**help_message(runtime_of(context), caller_of(context), unknown=unknown))


def register(app: Router) -> None:
    """Registered last: features claim their subcommands first, this takes the rest."""
    app.command(SLASH_COMMAND)(shown_to_user(handle_help_command))


FEATURE = Feature(
    name="help",
    register=register,
    commands=(Subcommand("help", "Show this list of commands."),),
    order=0,
    fallback=True,  # takes every `/mentor` text no other feature claimed
)
