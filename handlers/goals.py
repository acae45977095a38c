"""`/mentor goals`, the goals modal, and marking a goal achieved or dropped.

Each listener acks, parses, calls one flow of `bot.flows.goals` and answers.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand
from bot.errors import NotFound
from bot.flows.goals import (
    change_goal_status,
    goals_overview,
    open_goals_modal,
    open_progress_modal,
    submit_goals,
    submit_progress,
)
from bot.messages.goals import GOAL_RENDERERS
from bot.registry import Feature
from bot.views.goal_progress import ProgressIds, parse_progress
from bot.views.goals import (
    GoalIds,
    parse_goals_submission,
    parse_progress_choice,
    parse_status_choice,
)
from bot.views.payloads import button_id, metadata_id
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def handle_goals_command(ack: Ack, context: BoltContext) -> None:
    ack(**goals_overview(runtime_of(context), caller_of(context)))


def handle_edit_goals(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    open_goals_modal(
        runtime_of(context),
        caller_of(context),
        pair_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def handle_goals_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Field errors go back in the ack; valid goals are saved once, then acked."""
    caller = caller_of(context)
    drafts = parse_goals_submission(view["state"]["values"], today=caller.today)
    if isinstance(drafts, dict):
        ack(response_action="errors", errors=drafts)
        return
    submit_goals(
        runtime_of(context),
        caller,
        pair_id=metadata_id(view.get("private_metadata")),
        drafts=drafts,
        view_id=view["id"],
        accept=ack,
    )


def handle_goal_status(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    value = (action.get("selected_option") or {}).get("value")
    progress_of = parse_progress_choice(value)
    if progress_of is not None:
        open_progress_modal(
            runtime_of(context),
            caller_of(context),
            goal_id=progress_of,
            trigger_id=body["trigger_id"],
        )
        return
    choice = parse_status_choice(value)
    if choice is None:
        raise NotFound("That menu no longer works. Run `/mentor goals` again.")
    goal_id, status = choice
    overview = change_goal_status(
        runtime_of(context), caller_of(context), goal_id=goal_id, status=status
    )
    respond(replace_original=True, **overview)


def handle_open_progress(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    """The Home's "Record progress" button on one of the viewer's own goals."""
    ack()
    open_progress_modal(
        runtime_of(context),
        caller_of(context),
        goal_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def handle_progress_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Field errors go back in the ack (nothing stored); a valid step is stored once."""
    draft = parse_progress(view["state"]["values"])
    if isinstance(draft, dict):
        ack(response_action="errors", errors=draft)
        return
    submit_progress(
        runtime_of(context),
        caller_of(context),
        goal_id=metadata_id(view.get("private_metadata")),
        draft=draft,
        view_id=view["id"],
        accept=ack,
    )


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("goals", "goal")])(
        shown_to_user(handle_goals_command)
    )
    app.action(GoalIds.EDIT.value)(shown_to_user(handle_edit_goals))
    app.action(GoalIds.STATUS_MENU.value)(shown_to_user(handle_goal_status))
    app.view(GoalIds.CALLBACK.value)(shown_to_user(handle_goals_submission))
    app.action(ProgressIds.OPEN.value)(shown_to_user(handle_open_progress))
    app.view(ProgressIds.CALLBACK.value)(shown_to_user(handle_progress_submission))


FEATURE = Feature(
    name="goals",
    register=register,
    commands=(Subcommand("goals", "Your goals and your partner's; set or update yours."),),
    renderers=GOAL_RENDERERS,
    order=60,
)
