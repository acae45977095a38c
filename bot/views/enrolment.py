"""The join/profile modal and the leave prompt: pure builders and the matching parsers."""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from datetime import time
from typing import Any

from bot.services.enrolment import (
    DEFAULT_HOURS,
    EnrolmentTarget,
    Mode,
    ProfileAnswers,
)
from bot.topics import LANGUAGES, TOPICS
from bot.views.blocks import context, section
from bot.views.payloads import id_or_none
from bot.views.state import (
    State,
    selected_time,
    selected_users,
    selected_value,
    selected_values,
    text_value,
)
from models.enums import Role

DEPARTMENT_MAX = 80
NOTES_MAX = 300
OPTIONS_MAX = 100
MIN_WINDOW_MINUTES = 60
AVOID_MAX = 50  # people excluded from matching: a list, not a directory
USER_ID = re.compile(r"[UW][A-Z0-9]{1,31}")  # a Slack user id, as `multi_users_select` sends
LANGUAGE_NAMES = dict(LANGUAGES)
ROLE_TEXT = {
    Role.SENIOR: ("Senior", "An experienced professional: context, strategy and career guidance."),
    Role.JUNIOR: (
        "Junior",
        "An early-career colleague who mentors on digital fluency, tools and trends.",
    ),
}


TOPIC_OPTIONS = [{"text": {"type": "plain_text", "text": t}, "value": t} for t in TOPICS]
LANGUAGE_OPTIONS = [{"text": {"type": "plain_text", "text": n}, "value": c} for c, n in LANGUAGES]


class JoinIds(enum.StrEnum):
    """The modal's callback id and its blocks; each input's action id is its block id."""

    CALLBACK = "enrol-join"
    PROGRAM = "enrol-program"
    ROLE = "enrol-role"
    DEPARTMENT = "enrol-department"
    CAN_SHARE = "enrol-can-share"
    CAN_SHARE_NOTES = "enrol-can-share-notes"
    WANTS_TO_LEARN = "enrol-wants-to-learn"
    WANTS_TO_LEARN_NOTES = "enrol-wants-to-learn-notes"
    WORK_START = "enrol-work-start"
    WORK_END = "enrol-work-end"
    LANGUAGES = "enrol-languages"
    AVOID = "enrol-avoid"


class LeaveIds(enum.StrEnum):
    ACTIONS = "enrol-leave-actions"
    CONFIRM = "enrol-leave-confirm"
    CANCEL = "enrol-leave-cancel"


@dataclass(frozen=True)
class ModalMeta:
    """What `private_metadata` carries; ids in it are re-checked against the database."""

    mode: Mode
    program_id: int | None  # None: the person picks the program in the modal


@dataclass(frozen=True)
class JoinForm:
    program_id: int | None  # from the program select, when the modal had one
    answers: ProfileAnswers


# -- Block Kit helpers ----------------------------------------------------------------------


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str, description: str | None = None) -> dict[str, Any]:
    option: dict[str, Any] = {"text": plain(text[:75]), "value": value}
    if description:
        option["description"] = plain(description)
    return option


def _input(
    block_id: JoinIds,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str = "",
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def _multi_select(
    options: list[dict[str, Any]], selected: tuple[str, ...], placeholder: str
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "placeholder": plain(placeholder),
        "options": options[:OPTIONS_MAX],
    }
    initial = [o for o in element["options"] if o["value"] in selected]
    if initial:
        element["initial_options"] = initial
    return element


def _text_input(value: str | None, max_length: int, *, multiline: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": max_length,
        "multiline": multiline,
    }
    if value:
        element["initial_value"] = value[:max_length]
    return element


def _topics(block_id: JoinIds, label: str, chosen: tuple[str, ...]) -> dict[str, Any]:
    return _input(block_id, label, _multi_select(TOPIC_OPTIONS, chosen, "Choose topics"))


def _notes_input(block_id: JoinIds, label: str, value: str | None) -> dict[str, Any]:
    element = _text_input(value, NOTES_MAX, multiline=True)
    return _input(block_id, label, element, optional=True)


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


# -- the join / profile modal ---------------------------------------------------------------


def modal_metadata(target: EnrolmentTarget) -> str:
    program_id = target.programs[0].id if len(target.programs) == 1 else None
    return json.dumps({"mode": target.mode.value, "program_id": program_id})


def parse_metadata(raw: str | None) -> ModalMeta | None:
    """The metadata we wrote, or None when it is not ours (the caller refuses politely)."""
    try:
        data = json.loads(raw or "")
        program_id = data.get("program_id")
        if program_id is not None and (
            type(program_id) is not int or id_or_none(program_id) is None
        ):
            return None
        return ModalMeta(Mode(data["mode"]), program_id)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _intro(target: EnrolmentTarget) -> str:
    name = f"*{target.programs[0].name}*"
    if target.already_enrolled:
        return f"You're already in {name}, so here is your profile to update."
    if target.mode == Mode.EDIT:
        others = ", ".join(f"*{p.name}*" for p in target.others)
        more = f" You're also in {others}: `/mentor profile NAME` edits those." if others else ""
        return f"Your profile for {name}.{more}"
    if len(target.programs) > 1:
        return "Choose a program, then tell us a little about yourself."
    return f"Joining {name}. Tell us a little about yourself so we can find you a good partner."


def build_join_modal(target: EnrolmentTarget) -> dict[str, Any]:
    """The join modal (with a program select when several are open) or the profile editor."""
    answers = target.answers

    def prefill(name: str, default: Any = None) -> Any:
        return getattr(answers, name) if answers else default

    blocks = [context(_intro(target), "Your timezone comes from your Slack profile.")]
    if len(target.programs) > 1:
        options = [_option(p.name, str(p.id)) for p in target.programs[:OPTIONS_MAX]]
        select = {"type": "static_select", "placeholder": plain("Choose"), "options": options}
        blocks.append(_input(JoinIds.PROGRAM, "Program", select))
    roles = [_option(text, role.value, about) for role, (text, about) in ROLE_TEXT.items()]
    role: dict[str, Any] = {"type": "radio_buttons", "options": roles}
    if answers:
        role["initial_option"] = next(o for o in roles if o["value"] == answers.role)
    avoid: dict[str, Any] = {"type": "multi_users_select", "placeholder": plain("Choose people")}
    if prefill("avoid_user_ids"):
        avoid["initial_users"] = list(prefill("avoid_user_ids"))
    start, end = prefill("work_start", DEFAULT_HOURS[0]), prefill("work_end", DEFAULT_HOURS[1])
    department = _text_input(prefill("department"), DEPARTMENT_MAX)
    blocks += [
        _input(JoinIds.ROLE, "I join as", role),
        _input(JoinIds.DEPARTMENT, "Department or team", department),
        _topics(JoinIds.CAN_SHARE, "What I can share", prefill("can_share", ())),
        _notes_input(JoinIds.CAN_SHARE_NOTES, "More I can share", prefill("can_share_notes")),
        _topics(JoinIds.WANTS_TO_LEARN, "What I want to learn", prefill("wants_to_learn", ())),
        _notes_input(
            JoinIds.WANTS_TO_LEARN_NOTES, "More I want to learn", prefill("wants_to_learn_notes")
        ),
        _input(
            JoinIds.WORK_START,
            "Sessions can start from",
            {"type": "timepicker", "initial_time": hhmm(start)},
            hint="Your working hours, in your own timezone.",
        ),
        _input(
            JoinIds.WORK_END,
            "Sessions must end by",
            {"type": "timepicker", "initial_time": hhmm(end)},
        ),
        _input(
            JoinIds.LANGUAGES,
            "Languages I can mentor in",
            _multi_select(LANGUAGE_OPTIONS, prefill("languages", ("en",)), "Choose languages"),
        ),
        _input(
            JoinIds.AVOID,
            "People I must not be paired with",
            avoid,
            optional=True,
            hint="For example your manager or your direct reports. Only the matching sees this.",
        ),
    ]
    editing = target.mode == Mode.EDIT
    return {
        "type": "modal",
        "callback_id": JoinIds.CALLBACK.value,
        "private_metadata": modal_metadata(target),
        "title": plain("Your profile" if editing else "Join a program"),
        "submit": plain("Save" if editing else "Join"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def build_notice_modal(message: str) -> dict[str, Any]:
    """Replaces the modal (`response_action: update`) when the submission can't be saved."""
    return {
        "type": "modal",
        "title": plain("twoway"),
        "close": plain("Close"),
        "blocks": [section(message)],
    }


# -- parsing the submission -----------------------------------------------------------------


def _time(values: State, block_id: JoinIds) -> time | None:
    try:
        return selected_time(values, block_id, block_id)
    except ValueError:  # not what a timepicker sends
        return None


def _choices(
    values: State, block_id: JoinIds, allowed: set[str], missing: str, errors: dict[str, str]
) -> tuple[str, ...]:
    chosen = selected_values(values, block_id, block_id)
    if not chosen:
        errors[block_id] = missing
    elif not set(chosen) <= allowed:
        errors[block_id] = "Please choose from the list."
    return tuple(dict.fromkeys(chosen))


def _notes(values: State, block_id: JoinIds, errors: dict[str, str]) -> str | None:
    notes = text_value(values, block_id, block_id)
    if len(notes) > NOTES_MAX:
        errors[block_id] = f"Keep it to {NOTES_MAX} characters (you wrote {len(notes)})."
    return notes or None


def parse_join_submission(values: State, *, user_id: str) -> JoinForm | dict[str, str]:
    """The typed answers, or `{block_id: message}` for `response_action: errors`."""
    errors: dict[str, str] = {}
    program_id = None
    if JoinIds.PROGRAM in values:
        program_id = id_or_none(selected_value(values, JoinIds.PROGRAM, JoinIds.PROGRAM))
        if program_id is None:
            errors[JoinIds.PROGRAM] = "Choose a program."
    role = selected_value(values, JoinIds.ROLE, JoinIds.ROLE)
    if role not in {r.value for r in Role}:
        errors[JoinIds.ROLE] = "Choose senior or junior."
    department = " ".join(text_value(values, JoinIds.DEPARTMENT, JoinIds.DEPARTMENT).split())
    if not department:
        errors[JoinIds.DEPARTMENT] = "Tell us your department or team."
    elif len(department) > DEPARTMENT_MAX:
        errors[JoinIds.DEPARTMENT] = (
            f"Keep it to {DEPARTMENT_MAX} characters (you wrote {len(department)})."
        )
    topics = set(TOPICS)
    share = _choices(
        values, JoinIds.CAN_SHARE, topics, "Choose at least one topic you can share.", errors
    )
    learn = _choices(
        values, JoinIds.WANTS_TO_LEARN, topics, "Choose at least one topic to learn.", errors
    )
    share_notes = _notes(values, JoinIds.CAN_SHARE_NOTES, errors)
    learn_notes = _notes(values, JoinIds.WANTS_TO_LEARN_NOTES, errors)
    start, end = _time(values, JoinIds.WORK_START), _time(values, JoinIds.WORK_END)
    if start is None:
        errors[JoinIds.WORK_START] = "Choose when your sessions can start."
    if end is None:
        errors[JoinIds.WORK_END] = "Choose when your sessions must end."
    elif start is not None and start >= end:
        errors[JoinIds.WORK_END] = "The end must be later than the start."
    elif start is not None and _minutes(end) - _minutes(start) < MIN_WINDOW_MINUTES:
        errors[JoinIds.WORK_END] = "Leave at least one hour between start and end."
    languages = _choices(
        values, JoinIds.LANGUAGES, set(LANGUAGE_NAMES), "Choose at least one language.", errors
    )
    avoid = tuple(dict.fromkeys(selected_users(values, JoinIds.AVOID, JoinIds.AVOID)))
    if user_id in avoid:
        errors[JoinIds.AVOID] = "You can't exclude yourself."
    elif len(avoid) > AVOID_MAX or not all(USER_ID.fullmatch(u) for u in avoid):
        errors[JoinIds.AVOID] = f"Pick up to {AVOID_MAX} people from the list."
    if errors:
        return errors
    assert role is not None
    assert start is not None
    assert end is not None
    answers = ProfileAnswers(
        role=Role(role),
        department=department,
        can_share=share,
        can_share_notes=share_notes,
        wants_to_learn=learn,
        wants_to_learn_notes=learn_notes,
        work_start=start,
        work_end=end,
        languages=languages,
        avoid_user_ids=avoid,
    )
    return JoinForm(program_id, answers)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute
