"""Check-ins after a session, `/mentor learnings`, `/mentor actions` and `/mentor feedback`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND
from bot.views.checkins import CheckinIds, local_today, parse_checkin
from bot.views.learning_log import ActionIds, LogIds, parse_item_value, parse_later, parse_learning
from bot.workflows import checkin_actions as actions
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand
from models.enums import ActionStatus


def _tell(respond: Respond, text: str | None) -> None:
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def _user(body: dict[str, Any]) -> str:
    return str(body["user"]["id"])


# -- the check-in ----------------------------------------------------------------------------


def handle_answer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    refused = actions.open_checkin(
        runtime_of(context),
        session_id=int(action["value"]),
        user_id=_user(body),
        trigger_id=body["trigger_id"],
    )
    _tell(respond, refused)


def handle_checkin_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    runtime = runtime_of(context)
    target = actions.checkin_target(
        runtime, session_id=int(view["private_metadata"]), user_id=_user(body)
    )
    today = local_today(target.person.timezone, actions.now_utc())
    answer = parse_checkin(view["state"]["values"], today=today)
    if isinstance(answer, dict):
        ack(response_action="errors", errors=answer)
        return
    saved = actions.save(runtime, target=target, answer=answer, view_id=view["id"])
    ack()
    if saved is not None:
        actions.tell_after_checkin(runtime, target=target, answer=answer, saved=saved)


# -- the learning log ------------------------------------------------------------------------


def handle_learnings_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack(**actions.learnings_page(runtime_of(context), user_id=command["user_id"], page=0))


def handle_learnings_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = actions.learnings_page(
        runtime_of(context), user_id=_user(body), page=int(action["value"])
    )
    respond(replace_original=True, **page)


def handle_add_learning(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    refused = actions.open_add_learning(
        runtime_of(context), user_id=_user(body), trigger_id=body["trigger_id"]
    )
    _tell(respond, refused)


def handle_learning_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    parsed = parse_learning(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    text, pair_id = parsed
    actions.add_entry(
        runtime_of(context), user_id=_user(body), text=text, pair_id=pair_id, view_id=view["id"]
    )
    ack()


# -- action items ----------------------------------------------------------------------------


def handle_actions_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack(**actions.actions_page(runtime_of(context), user_id=command["user_id"], page=0))


def handle_actions_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = actions.actions_page(runtime_of(context), user_id=_user(body), page=int(action["value"]))
    respond(replace_original=True, **page)


def _close(
    status: ActionStatus, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What the person is told, and the refreshed list when the button was in one."""
    runtime = runtime_of(context)
    item_id, origin = parse_item_value(action["value"])
    result = actions.close(
        runtime, item_id=item_id, user_id=_user(body), status=status, now=actions.now_utc()
    )
    if not origin.startswith("l"):
        return result, None
    page = int(origin[1:] or 0)
    return result, actions.actions_page(runtime, user_id=_user(body), page=page)


def handle_done(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _answer_close(respond, *_close(ActionStatus.DONE, body, action, context))


def handle_dropped(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    _answer_close(respond, *_close(ActionStatus.DROPPED, body, action, context))


def _answer_close(respond: Respond, result: dict[str, Any], listing: dict[str, Any] | None) -> None:
    if listing is None:  # the follow-up message: show the outcome in its place
        respond(replace_original=True, **result)
        return
    respond(replace_original=True, **listing)
    respond(response_type="ephemeral", replace_original=False, **result)


def handle_later(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    item_id, _ = parse_item_value(action["value"])
    refused = actions.open_later(
        runtime_of(context), item_id=item_id, user_id=_user(body), trigger_id=body["trigger_id"]
    )
    _tell(respond, refused)


def handle_later_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    runtime = runtime_of(context)
    item_id, user_id = int(view["private_metadata"]), _user(body)
    timezone = actions.owner_timezone(runtime, item_id=item_id, user_id=user_id)
    due_on = parse_later(view["state"]["values"], today=local_today(timezone, actions.now_utc()))
    if isinstance(due_on, dict):
        ack(response_action="errors", errors=due_on)
        return
    ack()
    actions.move(runtime, item_id=item_id, user_id=user_id, due_on=due_on, view_id=view["id"])


# -- feedback ----------------------------------------------------------------------------


def handle_feedback_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack(**actions.feedback_page(runtime_of(context), user_id=command["user_id"], page=0))


def handle_feedback_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = actions.feedback_page(
        runtime_of(context), user_id=_user(body), page=int(action["value"])
    )
    respond(replace_original=True, **page)


def register(app: App) -> None:
    app.action(CheckinIds.ANSWER.value)(shown_to_user(handle_answer))
    app.view(CheckinIds.CALLBACK.value)(shown_to_user(handle_checkin_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("learnings", "learning")])(
        shown_to_user(handle_learnings_command)
    )
    for page_id in (LogIds.LEARNINGS_PAGE_PREVIOUS, LogIds.LEARNINGS_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_learnings_page))
    app.action(LogIds.ADD_LEARNING.value)(shown_to_user(handle_add_learning))
    app.view(LogIds.ADD_CALLBACK.value)(shown_to_user(handle_learning_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("actions", "action")])(
        shown_to_user(handle_actions_command)
    )
    for page_id in (LogIds.ACTIONS_PAGE_PREVIOUS, LogIds.ACTIONS_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_actions_page))
    app.action(ActionIds.DONE.value)(shown_to_user(handle_done))
    app.action(ActionIds.DROPPED.value)(shown_to_user(handle_dropped))
    app.action(ActionIds.LATER.value)(shown_to_user(handle_later))
    app.view(ActionIds.LATER_CALLBACK.value)(shown_to_user(handle_later_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("feedback")])(
        shown_to_user(handle_feedback_command)
    )
    for page_id in (LogIds.FEEDBACK_PAGE_PREVIOUS, LogIds.FEEDBACK_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_feedback_page))
