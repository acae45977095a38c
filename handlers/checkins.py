"""Check-ins after a session, `/mentor learnings`, `/mentor actions` and `/mentor feedback`.

Each listener acks, parses (field errors come from the view's parser), calls one flow
and answers with what the flow returned.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand
from bot.flows import action_items, checkins, feedback, learnings
from bot.flows.action_items import Closed
from bot.messages.checkins import CHECKIN_RENDERERS, FEEDBACK, MOVED, THANKS, plan_checkins
from bot.registry import Feature
from bot.views.checkins import CheckinIds, parse_checkin, parse_outcome
from bot.views.learning_log import (
    ActionItemIds,
    LogIds,
    parse_item_value,
    parse_later,
    parse_learning,
)
from bot.views.payloads import button_id, metadata_id, page_number
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def _tell(respond: Respond, text: str | None) -> None:
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def _clicked(body: dict[str, Any]) -> object:
    """The value of the button that was clicked (parsed by the caller: it can be anything)."""
    return body["actions"][0].get("value")


# -- the check-in ----------------------------------------------------------------------------


def handle_open_checkin(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    refused = checkins.open_checkin(
        runtime_of(context),
        caller_of(context),
        session_id=button_id(_clicked(body)),
        trigger_id=body["trigger_id"],
    )
    _tell(respond, refused)


def handle_outcome_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Step one: met → the modal becomes step two; not met → saved and closed."""
    outcome = parse_outcome(view["state"]["values"])
    if isinstance(outcome, dict):
        ack(response_action="errors", errors=outcome)
        return
    details = checkins.answer_outcome(
        runtime_of(context),
        caller_of(context),
        session_id=metadata_id(view.get("private_metadata")),
        outcome=outcome,
        view_id=view["id"],
        accepted=ack,
    )
    if details is not None:
        ack(response_action="update", view=details)


def handle_checkin_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    caller = caller_of(context)
    answer = parse_checkin(view["state"]["values"], today=caller.today)
    if isinstance(answer, dict):
        ack(response_action="errors", errors=answer)
        return
    checkins.submit_checkin(
        runtime_of(context),
        caller,
        session_id=metadata_id(view.get("private_metadata")),
        answer=answer,
        view_id=view["id"],
        accepted=ack,
    )


# -- the learning log ------------------------------------------------------------------------


def handle_learnings_command(ack: Ack, context: BoltContext) -> None:
    ack(**learnings.learnings_page(runtime_of(context), caller_of(context), page=0))


def handle_learnings_page(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = learnings.learnings_page(
        runtime_of(context), caller_of(context), page=page_number(_clicked(body))
    )
    respond(replace_original=True, **page)


def handle_add_learning(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    refused = learnings.open_add_learning(
        runtime_of(context), caller_of(context), trigger_id=body["trigger_id"]
    )
    _tell(respond, refused)


def handle_learning_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_learning(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    text, pair_id = parsed
    learnings.add_entry(
        runtime_of(context), caller_of(context), text=text, pair_id=pair_id, view_id=view["id"]
    )
    ack()


# -- action items ----------------------------------------------------------------------------


def handle_action_items_command(ack: Ack, context: BoltContext) -> None:
    ack(**action_items.action_items_page(runtime_of(context), caller_of(context), page=0))


def handle_action_items_page(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = action_items.action_items_page(
        runtime_of(context), caller_of(context), page=page_number(_clicked(body))
    )
    respond(replace_original=True, **page)


def _answer_close(respond: Respond, closed: Closed) -> None:
    if closed.listing is None:  # the follow-up message: show the outcome in its place
        respond(replace_original=True, **closed.told)
        return
    respond(replace_original=True, **closed.listing)
    respond(response_type="ephemeral", replace_original=False, **closed.told)


def handle_done(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    item_id, list_page = parse_item_value(_clicked(body))
    closed = action_items.mark_done(
        runtime_of(context), caller_of(context), item_id=item_id, list_page=list_page
    )
    _answer_close(respond, closed)


def handle_dropped(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    item_id, list_page = parse_item_value(_clicked(body))
    closed = action_items.mark_dropped(
        runtime_of(context), caller_of(context), item_id=item_id, list_page=list_page
    )
    _answer_close(respond, closed)


def handle_later(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    item_id, _ = parse_item_value(_clicked(body))
    refused = action_items.open_later(
        runtime_of(context), caller_of(context), item_id=item_id, trigger_id=body["trigger_id"]
    )
    _tell(respond, refused)


def handle_later_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    caller = caller_of(context)
    due_on = parse_later(view["state"]["values"], today=caller.today)
    if isinstance(due_on, dict):
        ack(response_action="errors", errors=due_on)
        return
    action_items.move(
        runtime_of(context),
        caller,
        item_id=metadata_id(view.get("private_metadata")),
        due_on=due_on,
        view_id=view["id"],
        accepted=ack,
    )


# -- feedback ----------------------------------------------------------------------------


def handle_feedback_command(ack: Ack, context: BoltContext) -> None:
    ack(**feedback.feedback_page(runtime_of(context), caller_of(context), page=0))


def handle_feedback_page(
    ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    page = feedback.feedback_page(
        runtime_of(context), caller_of(context), page=page_number(_clicked(body))
    )
    respond(replace_original=True, **page)


def register(app: Router) -> None:
    app.action(CheckinIds.ANSWER.value)(shown_to_user(handle_open_checkin))
    app.view(CheckinIds.OUTCOME_CALLBACK.value)(shown_to_user(handle_outcome_submission))
    app.view(CheckinIds.CALLBACK.value)(shown_to_user(handle_checkin_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("learnings", "learning")])(
        shown_to_user(handle_learnings_command)
    )
    for page_id in (LogIds.LEARNINGS_PAGE_PREVIOUS, LogIds.LEARNINGS_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_learnings_page))
    app.action(LogIds.ADD_LEARNING.value)(shown_to_user(handle_add_learning))
    app.view(LogIds.ADD_CALLBACK.value)(shown_to_user(handle_learning_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("actions", "action")])(
        shown_to_user(handle_action_items_command)
    )
    for page_id in (LogIds.ACTION_ITEMS_PAGE_PREVIOUS, LogIds.ACTION_ITEMS_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_action_items_page))
    app.action(ActionItemIds.DONE.value)(shown_to_user(handle_done))
    app.action(ActionItemIds.DROPPED.value)(shown_to_user(handle_dropped))
    app.action(ActionItemIds.LATER.value)(shown_to_user(handle_later))
    app.view(ActionItemIds.LATER_CALLBACK.value)(shown_to_user(handle_later_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("feedback")])(
        shown_to_user(handle_feedback_command)
    )
    for page_id in (LogIds.FEEDBACK_PAGE_PREVIOUS, LogIds.FEEDBACK_PAGE_NEXT):
        app.action(page_id.value)(shown_to_user(handle_feedback_page))


FEATURE = Feature(
    name="checkins",
    register=register,
    commands=(
        Subcommand("learnings", "Your learning log, newest first; add an entry any time."),
        Subcommand("actions", "Your open action items: what you said you would apply."),
        Subcommand(
            "feedback", "Feedback you received and gave (only you and your partner see it)."
        ),
    ),
    renderers=CHECKIN_RENDERERS,
    planners=(("checkins", plan_checkins),),
    at_most_once=frozenset({FEEDBACK, THANKS, MOVED}),  # never twice, even if cut off mid-call
    order=80,
)
