"""`/mentor`, `/mentor help` and any unknown subcommand: the help message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.commands import SLASH_COMMAND, parse_command
from bot.services.coordinators import is_coordinator
from bot.services.members import find_member
from bot.views.help import build_help
from handlers.context import runtime_of
from handlers.errors import shown_to_user


def handle_help_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Answer in the HTTP response itself: no Web API call, well inside 3 seconds.

    Coordinators also see the admin commands; this reads only the database (the
    Slack admin flag as last synced), never Slack, to stay fast.
    """
    parsed = parse_command(command.get("text"))
    unknown = command.get("text", "").strip() if parsed.name not in {"", "help"} else None
    runtime = runtime_of(context)
    user_id = command["user_id"]
    with runtime.unit_of_work() as session:
        member = find_member(session, workspace_id=runtime.workspace_id or 0, user_id=user_id)
        coordinator = is_coordinator(
            session,
            workspace_id=runtime.workspace_id or 0,
            user_id=user_id,
            bootstrap_ids=runtime.settings.coordinators,
            is_slack_admin=bool(member and member.is_slack_admin),
        )
    ack(**build_help(unknown=unknown, is_coordinator=coordinator))


def register(app: App) -> None:
    """Registered last: features claim their subcommands first, this takes the rest."""
    app.command(SLASH_COMMAND)(shown_to_user(handle_help_command))
