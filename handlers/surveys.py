"""Reflection surveys: the DM's *Answer the survey* button, `/mentor survey`, the modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand
from bot.flows import surveys as actions
from bot.messages.surveys import SURVEY_RENDERERS, plan_surveys
from bot.registry import Feature
from bot.views.surveys import (
    SurveyIds,
    build_no_open_survey,
    build_survey_saved,
    parse_survey,
    parse_survey_id,
)
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand


def handle_answer(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    actions.open_form(
        runtime_of(context),
        survey_id=parse_survey_id(action.get("value")),
        user_id=body["user"]["id"],
        trigger_id=body["trigger_id"],
        now=actions.now_utc(),
    )


def handle_survey_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    opened = actions.open_current(
        runtime_of(context),
        user_id=command["user_id"],
        trigger_id=command["trigger_id"],
        now=actions.now_utc(),
    )
    if not opened:
        respond(**build_no_open_survey())


def handle_submission(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    parsed = parse_survey(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    saved = actions.submit(
        runtime_of(context),
        survey_id=parse_survey_id(view.get("private_metadata")),
        user_id=body["user"]["id"],
        view_id=view["id"],
        answers=parsed,
        now=actions.now_utc(),
    )
    ack(response_action="update", view=build_survey_saved(saved.survey, edited=saved.edited))


def register(app: App) -> None:
    app.action(SurveyIds.ANSWER.value)(shown_to_user(handle_answer))
    app.view(SurveyIds.CALLBACK.value)(shown_to_user(handle_submission))
    app.command(SLASH_COMMAND, matchers=[subcommand("survey")])(
        shown_to_user(handle_survey_command)
    )


FEATURE = Feature(
    name="surveys",
    register=register,
    commands=(
        Subcommand("survey", "Open this quarter's reflection survey, if one is open for you."),
    ),
    renderers=SURVEY_RENDERERS,
    planners=(("surveys", plan_surveys),),
    order=90,
)
