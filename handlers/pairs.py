"""`/mentor pair`, and the buttons in a pair's DM that open the goals and takeaway modals.

Each listener acks, parses, calls one flow and answers; the intro's "Set my goals"
opens the same goals form as `/mentor goals` (`bot.flows.goals`).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.commands import SLASH_COMMAND, Subcommand
from bot.flows.goals import open_goals_modal
from bot.flows.pairs import my_pairs, open_takeaway_modal, save_takeaway
from bot.registry import Feature
from bot.views.pairs import PairIds, parse_takeaway
from bot.views.payloads import button_id, metadata_id
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def handle_pair_command(ack: Ack, context: BoltContext) -> None:
    ack(**my_pairs(runtime_of(context), caller_of(context)))


def handle_open_goals(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    open_goals_modal(
        runtime_of(context),
        caller_of(context),
        pair_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def handle_open_takeaway(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    open_takeaway_modal(
        runtime_of(context),
        caller_of(context),
        pair_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def handle_takeaway_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    text = parse_takeaway(view["state"]["values"])
    if isinstance(text, dict):
        ack(response_action="errors", errors=text)
        return
    save_takeaway(
        runtime_of(context),
        caller_of(context),
        pair_id=metadata_id(view.get("private_metadata")),
        text=text,
        view_id=view["id"],
    )
    ack()


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("pair", "pairs")])(
        shown_to_user(handle_pair_command)
    )
    app.action(PairIds.OPEN_GOALS.value)(shown_to_user(handle_open_goals))
    app.action(PairIds.OPEN_TAKEAWAY.value)(shown_to_user(handle_open_takeaway))
    app.view(PairIds.TAKEAWAY_CALLBACK.value)(shown_to_user(handle_takeaway_submission))


FEATURE = Feature(
    name="pairs",
    register=register,
    commands=(Subcommand("pair", "Your current partner(s), since when, and the next rotation."),),
    order=50,
)
