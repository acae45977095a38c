"""The check-in after a session: its prompt, the modal and its parser, and what each
person is told afterwards (the partner's feedback, the author's confirmation)."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from bot.services.checkin_outbox import CheckInSummary
from bot.services.checkins import CheckInAnswer, CheckInTarget
from bot.services.feedback import FeedbackParts
from bot.views.blocks import button, context, header, section
from bot.views.payloads import bounded_int
from bot.views.rhythm import slack_time
from bot.views.state import State, selected_date, selected_value, selected_values, text_value
from models.enums import CheckInOutcome

LEARNING_MAX = 1000
ACTION_MAX = 300
FEEDBACK_PART_MAX = 1000
MINUTES_RANGE = (5, 240)


class CheckinIds(enum.StrEnum):
    ANSWER = "checkin-answer"
    OUTCOME_CALLBACK = "checkin-outcome-step"  # the first, small modal: did you meet?
    CALLBACK = "checkin-submit"  # the second: only what applies once you met
    OUTCOME = "checkin-outcome"
    MINUTES = "checkin-minutes"
    LEARNING = "checkin-learning"
    SHARE = "checkin-share"
    ACTION_ITEM = "checkin-action"
    ACTION_ITEM_DUE = "checkin-action-due"
    FEEDBACK_WHAT = "checkin-feedback-what"
    FEEDBACK_EFFECT = "checkin-feedback-effect"
    FEEDBACK_SUGGESTION = "checkin-feedback-suggestion"


OUTCOME_LABELS = {
    CheckInOutcome.MET: "Yes, we met",
    CheckInOutcome.RESCHEDULED: "We rescheduled",
    CheckInOutcome.MISSED: "We didn't meet",
}
SHARED = "shared"


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def input_block(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = True, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": block_id, **element},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text_input(
    max_length: int, *, multiline: bool = False, placeholder: str = ""
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": max_length,
    }
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    return element


def escape(text: str) -> str:
    """What a person wrote, shown as written: Slack's three control characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mentions(user_ids: list[str] | tuple[str, ...]) -> str:
    return " and ".join(f"<@{u}>" for u in user_ids) or "your partner"


# -- the prompt and the modal ----------------------------------------------------------------


def build_checkin_prompt(target: CheckInTarget) -> dict[str, Any]:
    when = target.session.held_at or target.session.scheduled_at
    partners = _mentions([p.user_id for p in target.partners])
    moment = f" on {slack_time(when, '{date_short_pretty}')}" if when else ""
    return {
        "text": "How did your session go? A two-minute check-in",
        "blocks": [
            section(
                f":memo: How did your session with {partners}{moment} go? Two minutes: did you "
                "meet, one thing you learned, one thing you'll apply, and (if you like) "
                "feedback for your partner."
            ),
            {
                "type": "actions",
                "block_id": f"checkin-{target.session.id}",
                "elements": [
                    button(
                        "Answer the check-in",
                        CheckinIds.ANSWER,
                        str(target.session.id),
                        "primary",
                    )
                ],
            },
            context(
                "Your answers are yours: your partner sees your learning only if you share it."
            ),
        ],
    }


def build_checkin_modal(target: CheckInTarget) -> dict[str, Any]:
    """The first step: one question. Meeting or not decides what the next step asks."""
    partners = _mentions([p.user_id for p in target.partners])
    options = [_option(label, outcome.value) for outcome, label in OUTCOME_LABELS.items()]
    return {
        "type": "modal",
        "callback_id": CheckinIds.OUTCOME_CALLBACK,
        "private_metadata": str(target.session.id),
        "title": {"type": "plain_text", "text": "Session check-in"},
        "submit": {"type": "plain_text", "text": "Next"},
        "close": {"type": "plain_text", "text": "Later"},
        "blocks": [
            input_block(
                CheckinIds.OUTCOME,
                "Did you meet?",
                {"type": "radio_buttons", "options": options, "initial_option": options[0]},
                optional=False,
            ),
            context(
                "If you met, I'll ask how long, one thing you learned and one thing you'll "
                f"apply, with room for feedback that only {partners} receives. If not, that's it."
            ),
        ],
    }


def parse_outcome(state: State) -> CheckInOutcome | dict[str, str]:
    """The first step's answer, or the error to show on it."""
    raw = selected_value(state, CheckinIds.OUTCOME, CheckinIds.OUTCOME)
    if raw not in set(CheckInOutcome):
        return {CheckinIds.OUTCOME: "Did you meet? Pick one."}
    return CheckInOutcome(raw)


def not_met_answer(outcome: CheckInOutcome) -> CheckInAnswer:
    """A check-in for a session that did not happen: nothing more to ask."""
    return CheckInAnswer(
        outcome=outcome,
        minutes=None,
        learning=None,
        share_learning=False,
        action=None,
        action_due=None,
        feedback=None,
    )


def build_checkin_details(target: CheckInTarget) -> dict[str, Any]:
    """The second step, for people who met: what they learned, will apply, and feedback."""
    partners = _mentions([p.user_id for p in target.partners])
    minutes = min(max(target.session.minutes or target.pair.session_minutes, 5), 240)
    return {
        "type": "modal",
        "callback_id": CheckinIds.CALLBACK,
        "private_metadata": str(target.session.id),
        "title": {"type": "plain_text", "text": "Session check-in"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Later"},
        "blocks": [
            input_block(
                CheckinIds.MINUTES,
                "Minutes spent together",
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": str(MINUTES_RANGE[0]),
                    "max_value": str(MINUTES_RANGE[1]),
                    "initial_value": str(minutes),
                },
                optional=False,
            ),
            input_block(
                CheckinIds.LEARNING,
                "One key learning",
                _text_input(LEARNING_MAX, multiline=True, placeholder="What will you remember?"),
                optional=False,
                hint="Goes to your learning log, private unless you share it below.",
            ),
            input_block(
                CheckinIds.SHARE,
                "Share it?",
                {
                    "type": "checkboxes",
                    "options": [_option("Share this learning with my partner", SHARED)],
                },
            ),
            input_block(
                CheckinIds.ACTION_ITEM,
                "One thing I will apply (optional)",
                _text_input(ACTION_MAX, placeholder="Try the new dashboard in Monday's review"),
            ),
            input_block(
                CheckinIds.ACTION_ITEM_DUE,
                "By when? (with the thing you'll apply)",
                {"type": "datepicker"},
                hint="I'll follow up with you on that day.",
            ),
            header("Feedback for your partner (optional)"),
            context(
                f"Only {partners} receives it, from me in a direct message; coordinators never "
                "see it. Be specific and kind: describe what happened, not the person."
            ),
            input_block(
                CheckinIds.FEEDBACK_WHAT,
                "What happened",
                _text_input(
                    FEEDBACK_PART_MAX,
                    multiline=True,
                    placeholder="When you showed me the shortcut for…",
                ),
            ),
            input_block(
                CheckinIds.FEEDBACK_EFFECT,
                "Its effect",
                _text_input(
                    FEEDBACK_PART_MAX, multiline=True, placeholder="…I could finish my report…"
                ),
            ),
            input_block(
                CheckinIds.FEEDBACK_SUGGESTION,
                "A suggestion",
                _text_input(FEEDBACK_PART_MAX, multiline=True, placeholder="Next time, could we…"),
            ),
        ],
    }


def _clean(state: State, block_id: str) -> str:
    return text_value(state, block_id, block_id).strip()


def _words(text: str) -> int:
    return len(text.split())


def parse_checkin(state: State, *, today: date) -> CheckInAnswer | dict[str, str]:
    """The answer, or the errors to show on each field (`today` is the person's local date)."""
    errors: dict[str, str] = {}
    # The second step is only shown to people who met; a one-step modal opened before the
    # check-in had two steps still carries its own answer.
    raw_outcome = selected_value(state, CheckinIds.OUTCOME, CheckinIds.OUTCOME)
    if CheckinIds.OUTCOME not in state:
        raw_outcome = CheckInOutcome.MET.value
    outcome = CheckInOutcome(raw_outcome) if raw_outcome in set(CheckInOutcome) else None
    if outcome is None:
        errors[CheckinIds.OUTCOME] = "Did you meet? Pick one."
    met = outcome == CheckInOutcome.MET

    minutes: int | None = None
    raw_minutes = _clean(state, CheckinIds.MINUTES)
    if met:
        low, high = MINUTES_RANGE
        minutes = bounded_int(raw_minutes, low=low, high=high)
        if minutes is None:
            errors[CheckinIds.MINUTES] = f"Roughly how long did you meet? Between {low} and {high}."

    learning = _clean(state, CheckinIds.LEARNING)
    if met and not learning:
        errors[CheckinIds.LEARNING] = "What's one thing you learned? A sentence is plenty."
    elif learning and _words(learning) < 3:
        errors[CheckinIds.LEARNING] = (
            "A few more words, please (at least three), so future-you knows what it meant."
        )
    elif len(learning) > LEARNING_MAX:
        errors[CheckinIds.LEARNING] = f"Please keep it under {LEARNING_MAX} characters."
    shared = SHARED in selected_values(state, CheckinIds.SHARE, CheckinIds.SHARE)

    action = _clean(state, CheckinIds.ACTION_ITEM)
    due = selected_date(state, CheckinIds.ACTION_ITEM_DUE, CheckinIds.ACTION_ITEM_DUE)
    if action and len(action) > ACTION_MAX:
        errors[CheckinIds.ACTION_ITEM] = f"Please keep it under {ACTION_MAX} characters."
    if action and due is None:
        errors[CheckinIds.ACTION_ITEM_DUE] = "Pick a day to follow up on it."
    elif action and due is not None and due <= today:
        errors[CheckinIds.ACTION_ITEM_DUE] = "Pick a day after today, so there's time to try it."
    elif due is not None and not action:
        errors[CheckinIds.ACTION_ITEM] = "What will you apply? Or clear the date."

    feedback = FeedbackParts(
        what=_clean(state, CheckinIds.FEEDBACK_WHAT),
        effect=_clean(state, CheckinIds.FEEDBACK_EFFECT),
        suggestion=_clean(state, CheckinIds.FEEDBACK_SUGGESTION),
    )
    given = [
        (block, value)
        for block, value in (
            (CheckinIds.FEEDBACK_WHAT, feedback.what),
            (CheckinIds.FEEDBACK_EFFECT, feedback.effect),
            (CheckinIds.FEEDBACK_SUGGESTION, feedback.suggestion),
        )
        if value
    ]
    if given and feedback.words < 2:
        errors[given[0][0]] = (
            "Thanks for wanting to give feedback! One word is hard to act on: in a sentence, "
            "what happened, what was its effect, or what would you suggest?"
        )
    for block, value in given:
        if len(value) > FEEDBACK_PART_MAX:
            errors[block] = f"Please keep it under {FEEDBACK_PART_MAX} characters."

    if errors or outcome is None:
        return errors
    return CheckInAnswer(
        outcome=outcome,
        minutes=minutes,
        learning=learning or None,
        share_learning=shared and bool(learning),
        action=action or None,
        action_due=due if action else None,
        feedback=feedback if given else None,
    )


# -- after saving -----------------------------------------------------------------------------


def build_feedback_delivery(
    *, author_user_id: str, program_name: str, parts: FeedbackParts
) -> dict[str, Any]:
    """What the partner alone receives, in their own DM with the bot."""
    return {
        "text": f"Feedback from your partner <@{author_user_id}>",
        "blocks": [
            header("Feedback from your partner"),
            section(
                f"<@{author_user_id}>, your partner in *{escape(program_name)}*, shared this "
                "after your session. Only you received it."
            ),
            *(section(f"*{label}*\n{escape(value)}") for label, value in parts.parts),
            context(
                "Coordinators never see feedback. Talk it over in your next session if you like."
            ),
        ],
    }


def build_checkin_thanks(summary: CheckInSummary) -> dict[str, Any]:
    """The author's confirmation; the feedback travels on its own, so it is "on its way"."""
    lines = [":white_check_mark: Thanks for your check-in; it's saved."]
    if summary.learning_id is not None:
        where = "shared with your partner" if summary.learning_shared else "private to you"
        lines.append(f"• Your learning is in your log ({where}): `/mentor learnings`.")
    if summary.action_item_id is not None and summary.action_due is not None:
        lines.append(
            f"• I'll follow up on what you'll apply on {summary.action_due:%a %d %b}: "
            "`/mentor actions`."
        )
    if summary.feedback_to:
        lines.append(
            f"• Your feedback is on its way to {_mentions(summary.feedback_to)}, and only to "
            "them; you'll find it in `/mentor feedback`."
        )
    return {"text": "Thanks for your check-in", "blocks": [section("\n".join(lines))]}
