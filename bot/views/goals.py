"""Goals: the modal (1–3 goals with indicator and target date), its parser, and listings."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from bot.services.goals import MAX_GOALS, GoalDraft, GoalView
from bot.services.pairs import PairDetails
from bot.views.blocks import context, header, section
from bot.views.goal_progress import progress_words
from bot.views.payloads import id_or_none
from bot.views.state import State, selected_date, text_value
from models.enums import GoalStatus


class GoalIds(enum.StrEnum):
    CALLBACK = "goals-set"
    TEXT = "goals-text"
    INDICATOR = "goals-indicator"
    TARGET = "goals-target"
    STATUS_MENU = "goals-status"
    EDIT = "goals-edit"


TEXT_MAX = 300
STATUS_EMOJI = {
    GoalStatus.OPEN: ":dart:",
    GoalStatus.ACHIEVED: ":white_check_mark:",
    GoalStatus.DROPPED: ":heavy_minus_sign:",
}


def _block_id(kind: GoalIds, index: int) -> str:
    return f"{kind}-{index}"


def build_goals_modal(
    *, pair: PairDetails, existing: list[GoalView], today: date
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        context(
            "A good goal says what changes and how you'll know. Example: *use the new dashboard "
            "tool weekly* — indicator: *weekly report built in it by March*."
        )
    ]
    for index in range(MAX_GOALS):
        goal = existing[index] if index < len(existing) else None
        optional = index > 0
        text_element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": GoalIds.TEXT,
            "max_length": TEXT_MAX,
        }
        indicator_element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": GoalIds.INDICATOR,
            "max_length": TEXT_MAX,
        }
        date_element: dict[str, Any] = {"type": "datepicker", "action_id": GoalIds.TARGET}
        if goal:
            text_element["initial_value"] = goal.text
            indicator_element["initial_value"] = goal.indicator
            if goal.target_on:
                date_element["initial_date"] = goal.target_on.isoformat()
        blocks += [
            {
                "type": "input",
                "block_id": _block_id(GoalIds.TEXT, index),
                "optional": optional,
                "label": {"type": "plain_text", "text": f"Goal {index + 1}"},
                "element": text_element,
            },
            {
                "type": "input",
                "block_id": _block_id(GoalIds.INDICATOR, index),
                "optional": optional,
                "label": {"type": "plain_text", "text": "Indicator: how will you know?"},
                "element": indicator_element,
            },
            {
                "type": "input",
                "block_id": _block_id(GoalIds.TARGET, index),
                "optional": optional,
                "label": {"type": "plain_text", "text": "Target date"},
                "element": date_element,
            },
        ]
    return {
        "type": "modal",
        "callback_id": GoalIds.CALLBACK,
        "private_metadata": str(pair.id),
        "title": {"type": "plain_text", "text": "My goals"},
        "submit": {"type": "plain_text", "text": "Save goals"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def parse_goals_submission(state: State, *, today: date) -> list[GoalDraft] | dict[str, str]:
    drafts: list[GoalDraft] = []
    errors: dict[str, str] = {}
    for index in range(MAX_GOALS):
        text = " ".join(text_value(state, _block_id(GoalIds.TEXT, index), GoalIds.TEXT).split())
        indicator = " ".join(
            text_value(state, _block_id(GoalIds.INDICATOR, index), GoalIds.INDICATOR).split()
        )
        target = selected_date(state, _block_id(GoalIds.TARGET, index), GoalIds.TARGET)
        if not (text or indicator or target):
            continue
        if not text:
            errors[_block_id(GoalIds.TEXT, index)] = (
                "Describe the goal, or clear its indicator and date."
            )
        elif len(text) < 5:
            errors[_block_id(GoalIds.TEXT, index)] = "Say a little more: what will change?"
        elif len(text) > TEXT_MAX:
            errors[_block_id(GoalIds.TEXT, index)] = f"Please keep it under {TEXT_MAX} characters."
        if not indicator:
            errors[_block_id(GoalIds.INDICATOR, index)] = (
                "How will you know you got there? Add a measurable indicator."
            )
        elif len(indicator) > TEXT_MAX:
            errors[_block_id(GoalIds.INDICATOR, index)] = (
                f"Please keep it under {TEXT_MAX} characters."
            )
        if target is None:
            errors[_block_id(GoalIds.TARGET, index)] = "Pick a target date."
        elif target < today:
            errors[_block_id(GoalIds.TARGET, index)] = "The target date can't be in the past."
        drafts.append(GoalDraft(text, indicator, target))
    if not drafts and not errors:
        errors[_block_id(GoalIds.TEXT, 0)] = "Set at least one goal."
    return errors or drafts


def parse_status_choice(value: object) -> tuple[int, GoalStatus] | None:
    """The goal id and new status of a status menu choice (`"42:achieved"`); None if garbled."""
    goal_id, _, status = value.partition(":") if isinstance(value, str) else ("", "", "")
    found = id_or_none(goal_id)
    if found is None or status not in set(GoalStatus):
        return None
    return found, GoalStatus(status)


PROGRESS_CHOICE = "progress"  # the status menu's "Record progress" (goal id before it)


def goal_line(goal: GoalView) -> str:
    """The goal, its indicator and target date, and its latest progress (pair eyes only)."""
    target = f" · by {goal.target_on:%d %b %Y}" if goal.target_on else ""
    progress = f"\n{progress_words(goal.progress)}" if goal.progress else ""
    return (
        f"{STATUS_EMOJI[goal.status]} *{goal.text}*\n_Indicator:_ {goal.indicator}{target}"
        f"{progress}"
    )


def parse_progress_choice(value: object) -> int | None:
    """The goal id of a "Record progress" menu choice (`"42:progress"`), else None."""
    goal_id, _, choice = value.partition(":") if isinstance(value, str) else ("", "", "")
    return id_or_none(goal_id) if choice == PROGRESS_CHOICE else None


def _status_menu(goal: GoalView) -> dict[str, Any]:
    options = [
        ("Mark achieved", GoalStatus.ACHIEVED),
        ("Mark dropped", GoalStatus.DROPPED),
        ("Reopen", GoalStatus.OPEN),
    ]
    choices = [
        {"text": {"type": "plain_text", "text": label}, "value": f"{goal.id}:{status.value}"}
        for label, status in options
        if status != goal.status
    ]
    if goal.status == GoalStatus.OPEN:
        choices.insert(
            0,
            {
                "text": {"type": "plain_text", "text": "Record progress"},
                "value": f"{goal.id}:{PROGRESS_CHOICE}",
            },
        )
    return {"type": "overflow", "action_id": GoalIds.STATUS_MENU, "options": choices}


def build_goals_posted(
    pair: PairDetails, *, owner_user_id: str, goals: list[GoalView]
) -> dict[str, Any]:
    lines = "\n".join(goal_line(g) for g in goals)
    return {
        "text": f"<@{owner_user_id}> set their goals",
        "blocks": [section(f"<@{owner_user_id}> set their goals for this round:\n{lines}")],
    }


def build_goals_overview(
    entries: list[tuple[PairDetails, dict[str, list[GoalView]]]], *, user_id: str
) -> dict[str, Any]:
    """`/mentor goals`: mine (with a status menu) and my partner's, per current pair."""
    if not entries:
        return {
            "response_type": "ephemeral",
            "text": "You have no partner yet, so no goals to set.",
            "blocks": [
                section(
                    "You have no partner yet, so there are no goals to set. Goals come after matching."
                )
            ],
        }
    blocks: list[dict[str, Any]] = [header("Goals")]
    for pair, by_user in entries[:5]:
        blocks.append(section(f"*{pair.program_name}* · round {pair.round}"))
        for person in pair.people:
            goals = by_user.get(person.user_id, [])
            whose = "Your goals" if person.user_id == user_id else f"<@{person.user_id}>'s goals"
            if not goals:
                blocks.append(section(f"{whose}: none yet."))
                continue
            for goal in goals[:3]:
                block = section(
                    f"{whose}\n{goal_line(goal)}" if goal is goals[0] else goal_line(goal)
                )
                if person.user_id == user_id:
                    block["accessory"] = _status_menu(goal)
                blocks.append(block)
        blocks.append(
            {
                "type": "actions",
                "block_id": f"goals-actions-{pair.id}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": GoalIds.EDIT,
                        "text": {"type": "plain_text", "text": "Set or edit my goals"},
                        "value": str(pair.id),
                    }
                ],
            }
        )
    return {"response_type": "ephemeral", "text": "Your goals", "blocks": blocks[:50]}
