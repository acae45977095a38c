"""What the survey button, `/mentor survey` and the survey modal do.

Each step reads or writes in one short transaction; Slack (views.open) is called after it.
"Now" is the caller's: the instant the request arrived on the runtime's clock, so a survey
sent by `twoway tick --now` in simulated time opens when its button is pressed in that time.
Only ids are logged: never an answer, never a reflection.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.idempotency import first_time
from bot.services.surveys import (
    SurveyAnswers,
    SurveyClosed,
    SurveyInfo,
    answerable,
    current_survey_id,
    save_response,
    survey_form,
)
from bot.views.surveys import build_survey_modal, survey_closed_text

log = get_logger("twoway.surveys")


@dataclass(frozen=True)
class Saved:
    """What the modal's answer needs: the survey, and whether this replaced earlier answers."""

    survey: SurveyInfo
    edited: bool


def open_form(runtime: Runtime, caller: Caller, *, survey_id: int, trigger_id: str) -> None:
    """Open the caller's survey modal, prefilled with their earlier answers."""
    try:
        with runtime.unit_of_work() as session:
            form = survey_form(
                session,
                survey_id=survey_id,
                workspace_id=caller.workspace_id,
                user_id=caller.user_id,
                now=caller.now,
            )
    except SurveyClosed as closed:
        raise NotAllowed(survey_closed_text(closed.closes_at)) from closed
    runtime.gateway.open_view(
        trigger_id=trigger_id, view=build_survey_modal(form.survey, form.answers)
    )


def open_current(runtime: Runtime, caller: Caller, *, trigger_id: str) -> bool:
    """`/mentor survey`: open the caller's latest open survey; False when none is open."""
    with runtime.unit_of_work() as session:
        survey_id = current_survey_id(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now
        )
    if survey_id is None:
        return False
    open_form(runtime, caller, survey_id=survey_id, trigger_id=trigger_id)
    return True


def submit(
    runtime: Runtime, caller: Caller, *, survey_id: int, view_id: str, answers: SurveyAnswers
) -> Saved:
    """Store the answers once per modal (a double submission changes nothing more)."""
    try:
        with runtime.unit_of_work() as session:
            survey, participant_id = answerable(
                session,
                survey_id=survey_id,
                workspace_id=caller.workspace_id,
                user_id=caller.user_id,
                now=caller.now,
            )
            if not first_time(session, key=f"view:{view_id}", kind="survey"):
                log.info("survey.duplicate", survey_id=survey.id, participant_id=participant_id)
                return Saved(survey, edited=True)
            edited = save_response(
                session,
                survey_id=survey.id,
                participant_id=participant_id,
                answers=answers,
                now=caller.now,
            )
    except SurveyClosed as closed:
        raise NotAllowed(survey_closed_text(closed.closes_at)) from closed
    log.info("survey.answered", survey_id=survey.id, participant_id=participant_id, edited=edited)
    return Saved(survey, edited)
