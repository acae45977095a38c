"""The session nudge's buttons, `/mentor next` and `/mentor log`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND
from bot.errors import TwowayError
from bot.rhythm import build_agenda
from bot.services.agenda_sources import agenda_inputs
from bot.services.idempotency import first_time
from bot.services.pairs import pairs_of_user
from bot.services.sessions import next_planned
from bot.views.rhythm import (
    RhythmIds,
    build_log_modal,
    build_next,
    build_skip_modal,
    parse_button_value,
    parse_log,
    parse_skip_reason,
)
from bot.workflows import rhythm_actions as actions
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand
from models.enums import PairStatus


def _clicked(body: dict[str, Any], action: dict[str, Any]) -> tuple[actions.Clicked, str]:
    pair_id, period_key, extra = parse_button_value(action["value"])
    return actions.Clicked(pair_id, period_key, body["user"]["id"]), extra


def _tell(respond: Respond, text: str | None) -> None:
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def handle_pick_time(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    clicked, _ = _clicked(body, action)
    _tell(respond, actions.offer_slots(runtime_of(context), clicked, actions.now_utc()))


def handle_slot(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    clicked, epoch = _clicked(body, action)
    start = datetime.fromtimestamp(int(epoch), UTC)
    _tell(respond, actions.choose_slot(runtime_of(context), clicked, start, actions.now_utc()))


def handle_met(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    clicked, _ = _clicked(body, action)
    _tell(respond, actions.mark_met(runtime_of(context), clicked, actions.now_utc()))


def handle_skip(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    runtime_of(context).gateway.open_view(
        trigger_id=body["trigger_id"], view=build_skip_modal(value=action["value"])
    )


def handle_skip_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    reason = parse_skip_reason(view["state"]["values"])
    if isinstance(reason, dict):
        ack(response_action="errors", errors=reason)
        return
    pair_id, period_key, _ = parse_button_value(view["private_metadata"])
    clicked = actions.Clicked(pair_id, period_key, body["user"]["id"])
    try:
        actions.skip(runtime_of(context), clicked, reason, actions.now_utc())
    except TwowayError as refusal:
        ack(response_action="errors", errors={RhythmIds.SKIP_REASON: refusal.user_message})
        return
    ack()


def handle_help(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    clicked, _ = _clicked(body, action)
    _tell(respond, actions.ask_for_help(runtime_of(context), clicked, actions.now_utc()))


def handle_next_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    user_id = command["user_id"]
    now = actions.now_utc()
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(
            session,
            workspace_id=runtime.workspace_id or 0,
            user_id=user_id,
            statuses=(PairStatus.ACTIVE,),
        )
        inputs = agenda_inputs(session, pairs)
        entries = []
        for pair in pairs:
            planned = next_planned(session, pair_id=pair.id, after=now)
            entries.append(
                (pair, planned.scheduled_at if planned else None, build_agenda(inputs[pair.id]))
            )
    ack(**build_next(entries, user_id=user_id))


def handle_log_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(
            session, workspace_id=runtime.workspace_id or 0, user_id=command["user_id"]
        )
    if not pairs:
        respond(
            text="You have no partner right now, so there's no session to log.",
            response_type="ephemeral",
        )
        return
    runtime.gateway.open_view(
        trigger_id=command["trigger_id"],
        view=build_log_modal(pairs, today=actions.now_utc().date()),
    )


def handle_log_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    parsed = parse_log(view["state"]["values"], today=actions.now_utc().date())
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    pair_id, held_on, minutes = parsed
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    with runtime.unit_of_work() as session:
        fresh = first_time(session, key=f"view:{view['id']}", kind="log")
    if fresh:
        held_at = datetime.combine(held_on, time(12), tzinfo=ZoneInfo("UTC"))
        try:
            actions.log_session(
                runtime, pair_id=pair_id, user_id=user_id, held_at=held_at, minutes=minutes
            )
        except TwowayError as refusal:
            ack(response_action="errors", errors={RhythmIds.LOG_PAIR: refusal.user_message})
            return
    ack()


def register(app: App) -> None:
    app.action(RhythmIds.PICK_TIME.value)(shown_to_user(handle_pick_time))
    app.action(re.compile(rf"^{RhythmIds.SLOT}-\d+$"))(shown_to_user(handle_slot))
    app.action(RhythmIds.MET.value)(shown_to_user(handle_met))
    app.action(RhythmIds.SKIP.value)(shown_to_user(handle_skip))
    app.action(RhythmIds.HELP.value)(shown_to_user(handle_help))
    app.view(RhythmIds.SKIP_CALLBACK.value)(shown_to_user(handle_skip_submission))
    app.view(RhythmIds.LOG_CALLBACK.value)(shown_to_user(handle_log_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("next")])(shown_to_user(handle_next_command))
    app.command(SLASH_COMMAND, matchers=[subcommand("log")])(shown_to_user(handle_log_command))
