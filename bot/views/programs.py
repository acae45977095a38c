"""Program views: the create modal and its parser, the list, one program's card, closing."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.commands import SLASH_COMMAND
from bot.services.programs import ProgramSettings, ProgramSummary
from bot.views.blocks import context, header, section
from bot.views.payloads import bounded_int
from bot.views.state import State, selected_conversation, selected_date, selected_value, text_value
from models.enums import Cadence, ProgramStatus


class ProgramIds(enum.StrEnum):
    CREATE_CALLBACK = "program-create"
    NAME = "program-name"
    STARTS_ON = "program-starts-on"
    LENGTH = "program-length"
    ROTATION = "program-rotation"
    CADENCE = "program-cadence"
    SESSION_MINUTES = "program-session-minutes"
    CELEBRATION = "program-celebration-channel"
    DEADLINE = "program-enrolment-deadline"
    LOOKBACK = "program-repeat-lookback"
    CLOSE_CONFIRM = "program-close-confirm"
    CLOSE_CANCEL = "program-close-cancel"


NAME_MAX = 80
USAGE = (
    f"Usage: `{SLASH_COMMAND} admin program create`, `… program list`, "
    "`… program show NAME`, `… program close NAME`."
)
ONLY_COORDINATORS = "Only coordinators can create programs."
NAME_TAKEN = "A program with this name exists already."
LENGTHS = {"3 months": 13, "6 months": 26, "9 months": 39, "12 months": 52}
ROTATIONS = {
    "Every month": 4,
    "Every 6 weeks": 6,
    "Every 2 months": 9,
    "Every quarter": 13,
    "Every 6 months": 26,
}
CADENCES = {Cadence.WEEKLY: "Weekly", Cadence.BIWEEKLY: "Every 2 weeks", Cadence.MONTHLY: "Monthly"}
SESSION_MINUTES = (20, 25, 30, 35, 40, 45)
LOOKBACKS = {
    "Within 3 months": 3,
    "Within 6 months": 6,
    "Within 12 months": 12,
    "Within 2 years": 24,
    "Don't check other programs": 0,
}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def _select(action_id: str, options: list[tuple[str, str]], initial: str) -> dict[str, Any]:
    rendered = [_option(label, value) for label, value in options]
    return {
        "type": "static_select",
        "action_id": action_id,
        "options": rendered,
        "initial_option": next(o for o in rendered if o["value"] == initial),
    }


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def build_program_modal(*, today: date, admin_channel_id: str) -> dict[str, Any]:
    ids = ProgramIds
    return {
        "type": "modal",
        "callback_id": ids.CREATE_CALLBACK,
        "private_metadata": admin_channel_id,
        "title": {"type": "plain_text", "text": "New program"},
        "submit": {"type": "plain_text", "text": "Create"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _input(
                ids.NAME,
                "Program name",
                {
                    "type": "plain_text_input",
                    "action_id": ids.NAME,
                    "max_length": NAME_MAX,
                    "placeholder": {"type": "plain_text", "text": "e.g. Spring 2027 cohort"},
                },
            ),
            _input(
                ids.STARTS_ON,
                "Start date",
                {
                    "type": "datepicker",
                    "action_id": ids.STARTS_ON,
                    "initial_date": today.isoformat(),
                },
            ),
            _input(
                ids.LENGTH,
                "Length",
                _select(ids.LENGTH, [(k, str(v)) for k, v in LENGTHS.items()], "26"),
            ),
            _input(
                ids.ROTATION,
                "Rotate pairs",
                _select(ids.ROTATION, [(k, str(v)) for k, v in ROTATIONS.items()], "13"),
                hint="Each rotation ends the round's pairs and matches new ones, never repeating a pair.",
            ),
            _input(
                ids.CADENCE,
                "Sessions",
                _select(
                    ids.CADENCE, [(v, k.value) for k, v in CADENCES.items()], Cadence.BIWEEKLY.value
                ),
            ),
            _input(
                ids.SESSION_MINUTES,
                "Session length",
                _select(
                    ids.SESSION_MINUTES, [(f"{m} minutes", str(m)) for m in SESSION_MINUTES], "30"
                ),
            ),
            _input(
                ids.CELEBRATION,
                "Channel for celebrating wins",
                {
                    "type": "conversations_select",
                    "action_id": ids.CELEBRATION,
                    "filter": {"include": ["public"], "exclude_bot_users": True},
                },
                optional=True,
                hint="Only what a pair agrees to share is ever posted there.",
            ),
            _input(
                ids.DEADLINE,
                "Enrolment deadline",
                {"type": "datepicker", "action_id": ids.DEADLINE},
                optional=True,
            ),
            _input(
                ids.LOOKBACK,
                "Don't re-pair people who met in another program",
                _select(ids.LOOKBACK, [(k, str(v)) for k, v in LOOKBACKS.items()], "6"),
                hint="Pairs of this program's earlier rounds are never repeated either way.",
            ),
            context(
                "Participants join with `/mentor join`. Nothing is sent to anyone until you confirm a match."
            ),
        ],
    }


PICK_ONE = "Pick one of the options."
CHANNEL_ID = re.compile(r"[A-Z0-9]{2,32}")  # models.Program.celebration_channel_id: String(32)


def _choice(
    state: State, block_id: str, default: int, allowed: Iterable[int], errors: dict[str, str]
) -> int:
    """A number picked from a select (the default when none is picked); a field error when
    the value is not one of the options we offered."""
    raw = selected_value(state, block_id, block_id)
    value = default if raw is None else bounded_int(raw, low=0, high=10_000)
    if value is None or value not in set(allowed):
        errors[block_id] = PICK_ONE
        return default
    return value


def parse_program_submission(state: State, *, today: date) -> ProgramSettings | dict[str, str]:
    """The settings, or `{block_id: message}` for `response_action: errors`."""
    ids = ProgramIds
    errors: dict[str, str] = {}
    name = " ".join(text_value(state, ids.NAME, ids.NAME).split())
    if not name:
        errors[ids.NAME] = "Give the program a name."
    elif len(name) > NAME_MAX:
        errors[ids.NAME] = f"Keep the name under {NAME_MAX} characters."
    starts_on = selected_date(state, ids.STARTS_ON, ids.STARTS_ON)
    if starts_on is None:
        errors[ids.STARTS_ON] = "Pick a start date."
    elif starts_on < today:
        errors[ids.STARTS_ON] = "The start date can't be in the past."
    length = _choice(state, ids.LENGTH, 26, LENGTHS.values(), errors)
    rotation = _choice(state, ids.ROTATION, 13, ROTATIONS.values(), errors)
    if rotation > length:
        errors[ids.ROTATION] = (
            "Pairs can't rotate less often than the program lasts; pick a shorter rotation."
        )
    cadence_value = selected_value(state, ids.CADENCE, ids.CADENCE) or Cadence.BIWEEKLY.value
    if cadence_value not in set(Cadence):
        errors[ids.CADENCE] = PICK_ONE
    minutes = _choice(state, ids.SESSION_MINUTES, 30, SESSION_MINUTES, errors)
    if ids.SESSION_MINUTES in errors:
        errors[ids.SESSION_MINUTES] = "Sessions last between 20 and 45 minutes."
    lookback = _choice(state, ids.LOOKBACK, 6, LOOKBACKS.values(), errors)
    celebration = selected_conversation(state, ids.CELEBRATION, ids.CELEBRATION)
    if celebration is not None and not CHANNEL_ID.fullmatch(celebration):
        errors[ids.CELEBRATION] = "Pick a channel from the list."
    deadline = selected_date(state, ids.DEADLINE, ids.DEADLINE)
    if deadline is not None and deadline < today:
        errors[ids.DEADLINE] = "The enrolment deadline can't be in the past."
    if errors or starts_on is None:
        return errors
    return ProgramSettings(
        name=name,
        starts_on=starts_on,
        length_weeks=length,
        rotation_weeks=rotation,
        cadence=Cadence(cadence_value),
        session_minutes=minutes,
        celebration_channel_id=celebration,
        enrolment_deadline=deadline,
        repeat_lookback_months=lookback,
    )


def _status_emoji(status: ProgramStatus) -> str:
    return {
        ProgramStatus.ENROLLING: ":seedling:",
        ProgramStatus.ACTIVE: ":large_green_circle:",
        ProgramStatus.CLOSED: ":white_circle:",
    }[status]


def _card_text(s: ProgramSummary) -> str:
    rotation = (
        f"next rotation {s.next_rotation_on:%d %b %Y}"
        if s.next_rotation_on
        else "no rotation ahead"
    )
    deadline = f" · enrol by {s.enrolment_deadline:%d %b %Y}" if s.enrolment_deadline else ""
    celebrate = f" · wins in <#{s.celebration_channel_id}>" if s.celebration_channel_id else ""
    return (
        f"{_status_emoji(s.status)} *{s.name}* — {s.status.value}\n"
        f"{s.starts_on:%d %b %Y} → {s.ends_on:%d %b %Y} · {s.session_minutes}-minute sessions "
        f"{CADENCES[s.cadence].lower()} · new partners every {s.rotation_weeks} weeks"
        f"{deadline}{celebrate}\n"
        f"{s.seniors} seniors · {s.juniors} juniors · {s.paused} paused · "
        f"{s.active_pairs} active pairs · round {s.current_round} · {rotation}"
    )


def build_program_list(summaries: list[ProgramSummary]) -> dict[str, Any]:
    if not summaries:
        blocks = [section("No programs yet. Create one with `/mentor admin program create`.")]
        return {"response_type": "ephemeral", "text": "No programs yet", "blocks": blocks}
    shown = summaries[:45]
    blocks = [header("Programs"), *(section(_card_text(s)) for s in shown)]
    if len(summaries) > len(shown):
        blocks.append(context(f"…and {len(summaries) - len(shown)} older programs."))
    return {"response_type": "ephemeral", "text": f"{len(summaries)} programs", "blocks": blocks}


def _retention_text(s: ProgramSummary) -> str:
    if s.private_texts_deleted_at is not None:
        return f"Private texts deleted on {s.private_texts_deleted_at:%d %b %Y}; numbers kept."
    return (
        f"Private texts (learnings, feedback, reflections, goals) are deleted {s.retention_months} "
        "months after the program closes; numbers are kept."
    )


def build_program_card(summary: ProgramSummary) -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": summary.name,
        "blocks": [section(_card_text(summary)), context(_retention_text(summary))],
    }


def build_program_created(summary: ProgramSummary, *, created_by: str) -> dict[str, Any]:
    return {
        "text": f"Program {summary.name} created",
        "blocks": [
            section(f":tada: <@{created_by}> created a program.\n" + _card_text(summary)),
            context(
                "People join with `/mentor join`; match them with `/mentor admin match` when enrolment closes."
            ),
        ],
    }


def build_close_confirmation(summary: ProgramSummary) -> dict[str, Any]:
    value = str(summary.id)
    return {
        "response_type": "ephemeral",
        "text": f"Close {summary.name}?",
        "blocks": [
            section(
                f"Close *{summary.name}*? Its {summary.active_pairs} active pairs end and no more "
                "nudges are sent. Everything recorded so far is kept."
            ),
            {
                "type": "actions",
                "block_id": "program-close-actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ProgramIds.CLOSE_CONFIRM,
                        "text": {"type": "plain_text", "text": "Close program"},
                        "style": "danger",
                        "value": value,
                        "confirm": {
                            "title": {"type": "plain_text", "text": "Close the program?"},
                            "text": {
                                "type": "mrkdwn",
                                "text": f"*{summary.name}* will be closed for everyone.",
                            },
                            "confirm": {"type": "plain_text", "text": "Close it"},
                            "deny": {"type": "plain_text", "text": "Keep it"},
                        },
                    },
                    {
                        "type": "button",
                        "action_id": ProgramIds.CLOSE_CANCEL,
                        "text": {"type": "plain_text", "text": "Keep it open"},
                        "value": value,
                    },
                ],
            },
        ],
    }


def build_program_usage() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": USAGE}


def build_admin_channel_set(*, user_id: str, channel_id: str) -> dict[str, Any]:
    """Said in the channel itself, so every coordinator there sees the change."""
    return {
        "response_type": "in_channel",
        "text": (
            f":white_check_mark: <@{user_id}> made <#{channel_id}> the coordinators' admin "
            "channel. Match previews, alerts and reports will be posted here. "
            "Make sure I'm a member (`/invite @twoway`)."
        ),
    }


def build_program_closed(*, user_id: str, name: str | None, changed: bool) -> dict[str, Any]:
    """Replaces the confirmation the coordinator clicked."""
    shown = name or "the program"
    text = (
        f":white_check_mark: <@{user_id}> closed *{shown}*."
        if changed
        else f"*{shown}* was already closed; nothing changed."
    )
    return {"text": text, "replace_original": True, "response_type": "ephemeral"}


def build_close_cancelled() -> dict[str, Any]:
    return {
        "text": "Kept open; nothing changed.",
        "replace_original": True,
        "response_type": "ephemeral",
    }
