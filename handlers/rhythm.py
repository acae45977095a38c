"""The nudge's buttons, `/mentor next` and `/mentor log`: ack, parse, one flow, answer."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand
from bot.errors import TwowayError
from bot.flows import rhythm as flow
from bot.messages.rhythm import HELP as HELP_REQUEST
from bot.messages.rhythm import RHYTHM_RENDERERS, plan_pair_rhythms
from bot.messages.stalls import ALERT as STALL_ALERT
from bot.messages.stalls import DIGEST as STALL_DIGEST
from bot.messages.stalls import STALL_RENDERERS, plan_stall_notes
from bot.registry import Feature
from bot.views.rhythm import (
    LOG_HELP,
    NEXT_HELP,
    RhythmIds,
    build_next,
    parse_button_value,
    parse_form_value,
    parse_log,
    parse_skip_reason,
    parse_slot_value,
    parse_slots_value,
)
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def _tell(respond: Respond, text: str | None) -> None:
    """Answer the person who clicked, only them, below the message they clicked."""
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def _show(respond: Respond, message: dict[str, Any]) -> None:
    """A message with buttons only the person who clicked sees."""
    respond(**message, response_type="ephemeral", replace_original=False)


def handle_pick_time(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    pair_id, period_key, _ = parse_button_value(action.get("value"))
    _show(
        respond,
        flow.offer_slots(
            runtime_of(context), caller_of(context), pair_id=pair_id, period_key=period_key
        ),
    )


def handle_choose_time(
    ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    pair_id, period_key, starts = parse_slots_value(action.get("value"))
    _show(
        respond,
        flow.choose_among(
            runtime_of(context),
            caller_of(context),
            pair_id=pair_id,
            period_key=period_key,
            starts=starts,
        ),
    )


def handle_slot(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    pair_id, period_key, start = parse_slot_value(action.get("value"))
    _tell(
        respond,
        flow.choose_slot(
            runtime_of(context),
            caller_of(context),
            pair_id=pair_id,
            period_key=period_key,
            start=start,
        ),
    )


def handle_met(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    pair_id, period_key, _ = parse_button_value(action.get("value"))
    _tell(
        respond,
        flow.mark_met(
            runtime_of(context), caller_of(context), pair_id=pair_id, period_key=period_key
        ),
    )


def handle_skip(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    pair_id, period_key, _ = parse_button_value(action.get("value"))
    flow.open_skip(
        runtime_of(context),
        caller_of(context),
        pair_id=pair_id,
        period_key=period_key,
        trigger_id=body["trigger_id"],
    )


def handle_skip_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    reason = parse_skip_reason(view["state"]["values"])
    if isinstance(reason, dict):
        ack(response_action="errors", errors=reason)
        return
    pair_id, period_key = parse_form_value(view.get("private_metadata"))
    try:
        flow.skip(
            runtime_of(context),
            caller_of(context),
            pair_id=pair_id,
            period_key=period_key,
            reason=reason,
            accepted=ack,
        )
    except TwowayError as refusal:  # raised before the ack: shown in the modal
        ack(response_action="errors", errors={RhythmIds.SKIP_REASON: refusal.user_message})


def handle_help(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    pair_id, period_key, _ = parse_button_value(action.get("value"))
    _tell(
        respond,
        flow.ask_for_help(
            runtime_of(context), caller_of(context), pair_id=pair_id, period_key=period_key
        ),
    )


def handle_next_command(ack: Ack, context: BoltContext) -> None:
    caller = caller_of(context)
    ack(**build_next(flow.coming_up(runtime_of(context), caller), user_id=caller.user_id))


def handle_log_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    refusal = flow.open_log(
        runtime_of(context), caller_of(context), trigger_id=command["trigger_id"]
    )
    if refusal:
        respond(text=refusal, response_type="ephemeral")


def handle_log_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    caller = caller_of(context)
    parsed = parse_log(view["state"]["values"], today=caller.today)
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    pair_id, held_on, minutes = parsed
    try:
        flow.log_held(
            runtime_of(context),
            caller,
            pair_id=pair_id,
            held_on=held_on,
            minutes=minutes,
            view_id=view["id"],
        )
    except TwowayError as refusal:
        ack(response_action="errors", errors={RhythmIds.LOG_PAIR: refusal.user_message})
        return
    ack()


def register(app: Router) -> None:
    app.action(RhythmIds.PICK_TIME.value)(shown_to_user(handle_pick_time))
    app.action(RhythmIds.CHOOSE_TIME.value)(shown_to_user(handle_choose_time))
    app.action(re.compile(rf"^{RhythmIds.SLOT}-\d+$"))(shown_to_user(handle_slot))
    app.action(RhythmIds.MET.value)(shown_to_user(handle_met))
    app.action(RhythmIds.SKIP.value)(shown_to_user(handle_skip))
    app.action(RhythmIds.HELP.value)(shown_to_user(handle_help))
    app.view(RhythmIds.SKIP_CALLBACK.value)(shown_to_user(handle_skip_submission))
    app.view(RhythmIds.LOG_CALLBACK.value)(shown_to_user(handle_log_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("next")])(shown_to_user(handle_next_command))
    app.command(SLASH_COMMAND, matchers=[subcommand("log")])(shown_to_user(handle_log_command))


FEATURE = Feature(
    name="rhythm",
    register=register,
    commands=(
        Subcommand("next", NEXT_HELP),
        Subcommand("log", LOG_HELP),
    ),
    renderers={**RHYTHM_RENDERERS, **STALL_RENDERERS},
    planners=(("rhythm", plan_pair_rhythms), ("stalls", plan_stall_notes)),
    at_most_once=frozenset(
        {HELP_REQUEST, STALL_ALERT, STALL_DIGEST}
    ),  # coordinator alerts: never twice
    order=70,
)
