"""Reflection surveys as a person sees them: the DM, its reminders, the modal and its parser.

Everything here is shown to the person who answers only: their own learning log, their own
earlier answers and reflections. Times use Slack's `<!date^…>` tokens (each reader's timezone).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from bot.errors import NotFound
from bot.rhythm.text import shorten
from bot.services.surveys import (
    LEARNING_QUESTIONS,
    LIKERT,
    OPERATIONAL_QUESTIONS,
    QUESTIONS,
    REFLECTION_MAX,
    REFLECTIONS,
    LearningSummary,
    SurveyAnswers,
    SurveyInfo,
)
from bot.views.blocks import context, header, section
from bot.views.payloads import bounded_int, id_or_none
from bot.views.rhythm import slack_time
from bot.views.state import State, selected_value, text_value

LEARNING_TEXT_MAX = 160


class SurveyIds(enum.StrEnum):
    ANSWER = "survey-answer"  # the DM's button; its value is the survey id
    CALLBACK = "survey-form"  # the modal; private_metadata is the survey id
    QUESTION = "survey-question"  # block ids add the question key: survey-question-dialogue
    REFLECTION = "survey-reflection"  # block ids add the reflection key


QUESTION_TEXT = {
    "psychological_safety": "How safe do I feel to speak openly with my partner?",
    "dialogue": "How good is the dialogue between us?",
    "adaptability": "How much has my adaptability to change grown?",
    "learning": "How much have I learned?",
    "tools_adopted": "How much have I taken up new tools?",
    "processes_changed": "How much have I changed the way I work (processes)?",
    "cross_team_work": "How much cross-team work has started from this?",
}
REFLECTION_TEXT = {
    "surprised": "What surprised you this {what}?",
    "do_differently": "What will you do differently next {what}?",
}
SCALE = {1: "Not at all", 2: "A little", 3: "Somewhat", 4: "Quite a lot", 5: "Very much"}


def question_block_id(key: str) -> str:
    return f"{SurveyIds.QUESTION}-{key}"


def reflection_block_id(key: str) -> str:
    return f"{SurveyIds.REFLECTION}-{key}"


def _escape(text: str) -> str:
    """Person-written text inside mrkdwn: no accidental mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _what(survey: SurveyInfo) -> str:
    return "quarter" if survey.is_quarterly else "round"


def survey_title(survey: SurveyInfo) -> str:
    return f"{'Quarter' if survey.is_quarterly else 'Round'} {survey.number} reflection"


def survey_closed_text(closes_at: datetime) -> str:
    return (
        f"This survey closed on {slack_time(closes_at)}, so I left your answers as they were. "
        "The next one will come to you in a DM."
    )


def _answer_button(survey: SurveyInfo, text: str = "Answer the survey") -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"survey-{survey.id}",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": text},
                "action_id": SurveyIds.ANSWER,
                "value": str(survey.id),
                "style": "primary",
            }
        ],
    }


def _privacy(survey: SurveyInfo) -> dict[str, Any]:
    return context(
        f"Open until {slack_time(survey.closes_at)}; you can change your answers until then. "
        "Coordinators only ever see totals, and only when 3 or more people answered. "
        "Your reflections are yours alone."
    )


def _summary(survey: SurveyInfo, summary: LearningSummary) -> str:
    what = _what(survey)
    if not summary.count:
        return (
            f":notebook: You logged no learnings this {what}. The survey is a good moment "
            "to note what stayed with you."
        )
    entries = "entry" if summary.count == 1 else "entries"
    latest = "\n".join(f"• {_escape(shorten(t, LEARNING_TEXT_MAX))}" for t in summary.latest)
    heading = "The latest" if summary.count > len(summary.latest) else "They were"
    return (
        f":notebook: *Your learning log this {what}:* {summary.count} {entries}. "
        f"{heading}, to jog your memory:\n{latest}"
    )


def build_survey_dm(
    survey: SurveyInfo, summary: LearningSummary, *, user_id: str
) -> dict[str, Any]:
    if survey.is_quarterly:
        intro = (
            f"Hi <@{user_id}>, quarter {survey.number} of *{_escape(survey.program_name)}* "
            "is behind you. Five minutes to look back?"
        )
    else:
        intro = (
            f"Hi <@{user_id}>, round {survey.number} of *{_escape(survey.program_name)}* "
            "has ended. Thank you! Five minutes to look back?"
        )
    return {
        "text": f"Your {survey_title(survey).lower()} survey ({survey.program_name})",
        "blocks": [
            header(f"{survey_title(survey)} · {survey.program_name}"),
            section(
                f"{intro} Seven quick ratings on what you learned and what changed in your "
                "work, and two optional reflections."
            ),
            section(_summary(survey, summary)),
            _answer_button(survey),
            _privacy(survey),
        ],
    }


def build_survey_reminder(survey: SurveyInfo, *, user_id: str, number: int) -> dict[str, Any]:
    last = " This is the last reminder." if number >= 2 else ""
    return {
        "text": f"Reminder: your {survey_title(survey).lower()} survey ({survey.program_name})",
        "blocks": [
            section(
                f":wave: <@{user_id}>, your {survey_title(survey).lower()} survey for "
                f"*{_escape(survey.program_name)}* is still waiting, and closes "
                f"{slack_time(survey.closes_at)}. It takes five minutes.{last}"
            ),
            _answer_button(survey),
            _privacy(survey),
        ],
    }


def _options() -> list[dict[str, Any]]:
    return [
        {"text": {"type": "plain_text", "text": f"{score} · {SCALE[score]}"}, "value": str(score)}
        for score in LIKERT
    ]


def _likert_input(key: str, answer: int | None) -> dict[str, Any]:
    options = _options()
    element: dict[str, Any] = {
        "type": "radio_buttons",
        "action_id": SurveyIds.QUESTION,
        "options": options,
    }
    if answer in LIKERT:
        element["initial_option"] = options[int(answer) - 1]
    return {
        "type": "input",
        "block_id": question_block_id(key),
        "label": {"type": "plain_text", "text": QUESTION_TEXT[key]},
        "element": element,
    }


def _reflection_input(key: str, text: str | None, *, what: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": SurveyIds.REFLECTION,
        "multiline": True,
        "max_length": REFLECTION_MAX,
    }
    if text:
        element["initial_value"] = text
    return {
        "type": "input",
        "block_id": reflection_block_id(key),
        "optional": True,
        "label": {"type": "plain_text", "text": REFLECTION_TEXT[key].format(what=what)},
        "element": element,
    }


def build_survey_modal(survey: SurveyInfo, answers: SurveyAnswers | None) -> dict[str, Any]:
    likert = answers.likert if answers else {}
    reflections = answers.reflections if answers else {}
    return {
        "type": "modal",
        "callback_id": SurveyIds.CALLBACK,
        "private_metadata": str(survey.id),
        "title": {"type": "plain_text", "text": "Reflection survey"},
        "submit": {"type": "plain_text", "text": "Update" if answers else "Submit"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            context(
                f"*{_escape(survey.program_name)}* · {survey_title(survey)} · open until "
                f"{slack_time(survey.closes_at)}"
                + (" · you answered before: change anything you like" if answers else "")
            ),
            header("Learning outcomes"),
            *(_likert_input(key, likert.get(key)) for key in LEARNING_QUESTIONS),
            header("Operational outcomes"),
            *(_likert_input(key, likert.get(key)) for key in OPERATIONAL_QUESTIONS),
            header("Reflections"),
            context("Optional. Only you can read these: not your partner, not the coordinators."),
            *(
                _reflection_input(key, reflections.get(key), what=_what(survey))
                for key in REFLECTIONS
            ),
        ],
    }


def parse_survey_id(value: object) -> int:
    survey_id = id_or_none(value)
    if survey_id is None:
        raise NotFound("That survey no longer exists.")
    return survey_id


def parse_survey(state: State) -> SurveyAnswers | dict[str, str]:
    """The answers, or field errors keyed by block id (Slack shows them under each field)."""
    errors: dict[str, str] = {}
    likert: dict[str, int] = {}
    for key in QUESTIONS:
        raw = selected_value(state, question_block_id(key), SurveyIds.QUESTION)
        answer = bounded_int(raw, low=min(LIKERT), high=max(LIKERT))
        if answer is None or answer not in LIKERT:
            errors[question_block_id(key)] = (
                "Pick one answer, from 1 (not at all) to 5 (very much)."
            )
        else:
            likert[key] = answer
    reflections: dict[str, str] = {}
    for key in REFLECTIONS:
        text = text_value(state, reflection_block_id(key), SurveyIds.REFLECTION)
        if len(text) > REFLECTION_MAX:
            errors[reflection_block_id(key)] = (
                f"At most {REFLECTION_MAX} characters, please (this one has {len(text)})."
            )
        elif text:
            reflections[key] = text
    return errors or SurveyAnswers(likert, reflections)


def build_survey_saved(survey: SurveyInfo, *, edited: bool) -> dict[str, Any]:
    done = "updated" if edited else "saved"
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Reflection survey"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [
            section(
                f":white_check_mark: Thank you, your answers are {done}. You can change them until "
                f"{slack_time(survey.closes_at)} with the button in your DM or `/mentor survey`."
            )
        ],
    }


def build_no_open_survey() -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": "No survey is open for you right now.",
        "blocks": [
            section(
                "No survey is open for you right now. Reflection surveys come to you in a DM "
                "at the end of each quarter and of each round."
            )
        ],
    }
