"""Reflection surveys: the DM's *Answer the survey* button, `/mentor survey`, the modal.

Each listener acks, parses, calls one flow of `bot.flows.surveys` and answers. The time a
survey is judged open by is the caller's (the runtime's clock), never the wall clock here.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand
from bot.flows import surveys
from bot.messages.surveys import SURVEY_RENDERERS, plan_surveys
from bot.registry import Feature
from bot.views.surveys import (
    SurveyIds,
    build_no_open_survey,
    build_survey_saved,
    parse_survey,
    parse_survey_id,
)
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import subcommand


def _clicked(body: dict[str, Any]) -> str | None:
    """The value of the button that was clicked (the survey id)."""
    return body["actions"][0].get("value")


def handle_answer(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    surveys.open_form(
        runtime_of(context),
        caller_of(context),
        survey_id=parse_survey_id(_clicked(body)),
        trigger_id=body["trigger_id"],
    )


def handle_survey_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    opened = surveys.open_current(
        runtime_of(context), caller_of(context), trigger_id=command["trigger_id"]
    )
    if not opened:
        respond(**build_no_open_survey())


def handle_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_survey(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    saved = surveys.submit(
        runtime_of(context),
        caller_of(context),
        survey_id=parse_survey_id(view.get("private_metadata")),
        view_id=view["id"],
        answers=parsed,
    )
    ack(response_action="update", view=build_survey_saved(saved.survey, edited=saved.edited))


def register(app: Router) -> None:
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
