"""`/mentor celebrate`, the "Celebrate this?" offer, each member's approve / edit / decline /
withdraw buttons, `/mentor admin celebrations channel` and `/mentor admin sponsors`.

Each listener acks, parses, calls one flow and answers.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows import celebrations as flow
from bot.flows.sponsors import sponsors_command
from bot.messages.celebrations import AT_MOST_ONCE, CELEBRATION_RENDERERS, plan_sponsor_digests
from bot.registry import Feature
from bot.views.celebrations import CelebrationIds as C
from bot.views.celebrations import parse_channel, parse_draft, parse_ref
from bot.views.payloads import button_id, id_or_none, metadata_id
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand, subcommand


def handle_celebrate(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    answer = flow.open_draft(
        runtime_of(context), caller_of(context), trigger_id=command["trigger_id"]
    )
    if answer is not None:
        respond(**answer)


def handle_offer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    answer = flow.open_draft(
        runtime_of(context),
        caller_of(context),
        trigger_id=body["trigger_id"],
        goal_id=button_id(action.get("value")),
    )
    if answer is not None:
        respond(replace_original=False, **answer)


def _draft_metadata(value: object) -> tuple[int, int | None]:
    """`pair:goal` (goal 0 for none), as `open_draft` wrote it."""
    pair, _, goal = value.partition(":") if isinstance(value, str) else ("", "", "")
    return metadata_id(pair), id_or_none(goal)


def handle_draft_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_draft(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    pair_id, goal_id = _draft_metadata(view.get("private_metadata"))
    flow.submit_draft(
        runtime_of(context),
        caller_of(context),
        pair_id=pair_id,
        goal_id=goal_id,
        what=parsed[0],
        for_whom=parsed[1],
        view_id=view["id"],
        accept=ack,
    )


def handle_approve(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    celebration_id, version = parse_ref(action.get("value"))
    answer = flow.approve(
        runtime_of(context), caller_of(context), celebration_id=celebration_id, version=version
    )
    respond(replace_original=True, **answer)


def handle_decline(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    celebration_id, _ = parse_ref(action.get("value"))
    answer = flow.decline(runtime_of(context), caller_of(context), celebration_id=celebration_id)
    respond(replace_original=True, **answer)


def handle_withdraw(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    celebration_id, _ = parse_ref(action.get("value"))
    answer = flow.withdraw(runtime_of(context), caller_of(context), celebration_id=celebration_id)
    respond(replace_original=True, **answer)


def handle_edit(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    celebration_id, version = parse_ref(action.get("value"))
    answer = flow.open_edit(
        runtime_of(context),
        caller_of(context),
        celebration_id=celebration_id,
        version=version,
        trigger_id=body["trigger_id"],
    )
    if answer is not None:
        respond(replace_original=False, **answer)


def handle_edit_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_draft(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    celebration_id, version = parse_ref(view.get("private_metadata"), form=True)
    flow.submit_edit(
        runtime_of(context),
        caller_of(context),
        celebration_id=celebration_id,
        version=version,
        what=parsed[0],
        for_whom=parsed[1],
        accept=ack,
    )


def handle_admin_celebrations(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = parse_command(command.get("text")).args[1:]
    answer = flow.celebrations_command(
        runtime_of(context),
        caller_of(context),
        verb=args[0].lower() if args else "",
        name=" ".join(args[2:] if args and args[0].lower() == "channel" else args[1:]) or None,
        trigger_id=command["trigger_id"],
    )
    if answer is not None:
        respond(**answer)


def handle_channel_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_channel(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    flow.submit_channel(
        runtime_of(context),
        caller_of(context),
        program_id=metadata_id(view.get("private_metadata")),
        channel_id=parsed,
    )
    ack()


def handle_admin_sponsors(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = parse_command(command.get("text")).args[1:]
    respond(
        **sponsors_command(
            runtime_of(context),
            caller_of(context),
            verb=args[0].lower() if args else "",
            words=args[1:],
        )
    )


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("celebrate")])(shown_to_user(handle_celebrate))
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("celebrations")])(
        shown_to_user(handle_admin_celebrations)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("sponsors", "sponsor")])(
        shown_to_user(handle_admin_sponsors)
    )
    app.action(C.OFFER.value)(shown_to_user(handle_offer))
    app.action(C.APPROVE.value)(shown_to_user(handle_approve))
    app.action(C.EDIT.value)(shown_to_user(handle_edit))
    app.action(C.DECLINE.value)(shown_to_user(handle_decline))
    app.action(C.WITHDRAW.value)(shown_to_user(handle_withdraw))
    app.view(C.DRAFT_CALLBACK.value)(shown_to_user(handle_draft_submission))
    app.view(C.EDIT_CALLBACK.value)(shown_to_user(handle_edit_submission))
    app.view(C.CHANNEL_CALLBACK.value)(shown_to_user(handle_channel_submission))


FEATURE = Feature(
    name="celebrations",
    register=register,
    commands=(
        Subcommand(
            "celebrate", "Celebrate a win with your partner (posted only if you both agree)."
        ),
        Subcommand(
            "admin celebrations channel NAME", "Choose where a program's wins are posted.", True
        ),
        Subcommand("admin sponsors add @person", "Send someone the monthly sponsor digest.", True),
        Subcommand("admin sponsors remove @person", "Stop someone's sponsor digest.", True),
        Subcommand("admin sponsors list", "Who gets the monthly sponsor digest.", True),
    ),
    renderers=CELEBRATION_RENDERERS,
    planners=(("sponsor_digests", plan_sponsor_digests),),
    at_most_once=AT_MOST_ONCE,
    order=130,
)
