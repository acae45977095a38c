"""`/mentor admin match|rotate [program]` and the preview's Confirm / Re-run / Cancel buttons.

Each listener acks, parses, calls one flow of `bot.flows.matching` and answers with
what it returned; the flows own the checks, the database and Slack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows import matching
from bot.messages.pairs import PAIR_RENDERERS
from bot.messages.rotation import ROTATION_RENDERERS, plan_rotation_previews
from bot.registry import Feature
from bot.views.matching import RERUNS, MatchIds, parse_preview_click
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand


def _tell(respond: Respond, text: str | None) -> None:
    """An ephemeral note for the coordinator who acted, beside the preview."""
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def handle_match_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Ack at once; matching and the preview happen after, in the admin channel."""
    ack()
    args = parse_command(command.get("text")).args
    note = matching.start_round(
        runtime_of(context),
        caller_of(context),
        verb=args[0].lower(),
        program_name=" ".join(args[1:]) or None,
        started=lambda text: respond(response_type="ephemeral", text=text),
    )
    _tell(respond, note)


def handle_confirm(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Confirm: the preview becomes live pairs; their intros follow."""
    ack()
    click = parse_preview_click(body, action)
    note = matching.confirm(
        runtime_of(context), caller_of(context), run_id=click.run_id, clicked=click.clicked
    )
    _tell(respond, note)


def handle_cancel(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Cancel: the proposal is dropped; nobody hears of it."""
    ack()
    click = parse_preview_click(body, action)
    note = matching.cancel(
        runtime_of(context), caller_of(context), run_id=click.run_id, clicked=click.clicked
    )
    _tell(respond, note)


def handle_rerun(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Re-run (plain, allowing trios, or same-role pairs): a new preview replaces this one."""
    ack()
    click = parse_preview_click(body, action)
    note = matching.rerun(
        runtime_of(context),
        caller_of(context),
        run_id=click.run_id,
        allow_trios=click.allow_trios,
        allow_same_role=click.allow_same_role,
        clicked=click.clicked,
    )
    _tell(respond, note)


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("match", "rotate")])(
        shown_to_user(handle_match_command)
    )
    app.action(MatchIds.CONFIRM.value)(shown_to_user(handle_confirm))
    app.action(MatchIds.CANCEL.value)(shown_to_user(handle_cancel))
    for action_id in RERUNS:
        app.action(action_id.value)(shown_to_user(handle_rerun))


FEATURE = Feature(
    name="matching",
    register=register,
    commands=(
        Subcommand("admin match [program]", "Preview the next round's pairs to confirm.", True),
        Subcommand("admin rotate [program]", "End this round and preview the next one.", True),
    ),
    renderers={**PAIR_RENDERERS, **ROTATION_RENDERERS},
    planners=(("rotation_previews", plan_rotation_previews),),
    at_most_once=frozenset({"admin_pair_paused"}),  # a coordinator alert: never twice
    order=40,
)
