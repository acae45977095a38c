"""`/mentor admin report [program] [quarter]` and `/mentor admin export [program]`.

Each listener acks at once (building a report takes longer than Slack's 3 seconds),
parses the words, and calls one flow of `bot.flows.reports`, which answers "building…"
and hands the report to the outbox.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows.reports import export_command, report_command
from bot.messages.reports import REPORT_RENDERERS
from bot.registry import Feature
from bot.services.report_requests import EXPORT_ZIP, REPORT_POST
from bot.views.reports import ReportRequest, parse_report_args
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand


def _words(command: dict[str, Any]) -> list[str]:
    return parse_command(command.get("text")).args[1:]


def handle_admin_report(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    report_command(
        runtime_of(context),
        caller_of(context),
        request=parse_report_args(_words(command)),
        progress=lambda message: respond(**message),
    )


def handle_admin_export(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    export_command(
        runtime_of(context),
        caller_of(context),
        request=ReportRequest(" ".join(_words(command)) or None, None),
        progress=lambda message: respond(**message),
    )


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("report")])(
        shown_to_user(handle_admin_report)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("export")])(
        shown_to_user(handle_admin_export)
    )


FEATURE = Feature(
    name="reports",
    register=register,
    commands=(
        Subcommand(
            "admin report [program] [quarter]",
            "An impact report with charts in the admin channel.",
            True,
        ),
        Subcommand(
            "admin export [program]", "A zip of the program's CSVs (no private texts).", True
        ),
    ),
    renderers=REPORT_RENDERERS,
    at_most_once=frozenset({REPORT_POST, EXPORT_ZIP}),
    order=120,
)
