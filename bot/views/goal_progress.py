"""Recording progress against a goal's indicator: the modal, its parser, and the words
that show the latest step (on the Home and in `/mentor goals`)."""

from __future__ import annotations

import enum
from typing import Any

from bot.services.goal_progress import NOTE_MAX, OwnGoal, ProgressDraft, ProgressView
from bot.views.blocks import clip, context, section
from bot.views.state import State, text_value

COUNT_MAX = 1_000_000


class ProgressIds(enum.StrEnum):
    CALLBACK = "goal-progress"
    OPEN = "goal-progress-open"  # a button whose value is the goal id
    PERCENT = "goal-progress-percent"
    COUNT = "goal-progress-count"
    NOTE = "goal-progress-note"


def progress_words(progress: ProgressView | None, *, with_note: bool = True) -> str:
    """ "40% there" or "12 so far", the date, and the note (for the pair's eyes only)."""
    if progress is None:
        return "_No progress recorded yet._"
    measure = (
        f"{progress.percent}% there"
        if progress.percent is not None
        else f"{progress.amount} so far"
    )
    when = f"<!date^{int(progress.recorded_at.timestamp())}^{{date_short}}|" + (
        f"{progress.recorded_at:%d %b %Y}>"
    )
    note = f" — “{progress.note}”" if with_note and progress.note else ""
    return f"_Progress:_ {measure} ({when}){note}"


def _number_input(block_id: str, label: str, hint: str, initial: int | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "max_length": 8}
    if initial is not None:
        element["initial_value"] = str(initial)
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": label},
        "hint": {"type": "plain_text", "text": hint},
        "element": element,
    }


def build_progress_modal(goal: OwnGoal) -> dict[str, Any]:
    latest = goal.latest
    return {
        "type": "modal",
        "callback_id": ProgressIds.CALLBACK,
        "private_metadata": str(goal.id),
        "title": {"type": "plain_text", "text": "Record progress"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(clip(f"*{goal.text}*\n_Indicator:_ {goal.indicator}", 3000)),
            context(progress_words(latest)),
            _number_input(
                ProgressIds.PERCENT,
                "How far along, in percent",
                "A whole number from 0 to 100. Or leave it empty and give a count below.",
                latest.percent if latest else None,
            ),
            _number_input(
                ProgressIds.COUNT,
                "Or: a count towards the target",
                "How many so far (0 or more), e.g. reports built or demos given.",
                latest.amount if latest else None,
            ),
            {
                "type": "input",
                "block_id": ProgressIds.NOTE,
                "optional": True,
                "label": {"type": "plain_text", "text": "A short note for your pair"},
                "hint": {
                    "type": "plain_text",
                    "text": "Only you and your partner see it, never the coordinators.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": ProgressIds.NOTE,
                    "multiline": True,
                    "max_length": NOTE_MAX,
                },
            },
        ],
    }


def _whole_number(raw: str) -> int | None:
    cleaned = raw.strip().removesuffix("%").strip()
    return int(cleaned) if cleaned.lstrip("-").isdigit() and len(cleaned) <= 9 else None


def parse_progress(state: State) -> ProgressDraft | dict[str, str]:
    """A percentage (0–100) or a count (0 or more), not both, and a note of ≤300 chars."""
    errors: dict[str, str] = {}
    raw_percent = text_value(state, ProgressIds.PERCENT, ProgressIds.PERCENT).strip()
    raw_count = text_value(state, ProgressIds.COUNT, ProgressIds.COUNT).strip()
    note = " ".join(text_value(state, ProgressIds.NOTE, ProgressIds.NOTE).split()) or None
    percent = _whole_number(raw_percent) if raw_percent else None
    count = _whole_number(raw_count) if raw_count else None
    if raw_percent and (percent is None or not 0 <= percent <= 100):
        errors[ProgressIds.PERCENT] = "Give a whole number from 0 to 100."
    if raw_count and (count is None or count < 0):
        errors[ProgressIds.COUNT] = "Give a whole number, 0 or more."
    elif count is not None and count > COUNT_MAX:
        errors[ProgressIds.COUNT] = f"Give a count up to {COUNT_MAX:,}."
    if not raw_percent and not raw_count:
        errors[ProgressIds.PERCENT] = "Give a percentage, or a count below."
    elif raw_percent and raw_count and not errors:
        errors[ProgressIds.COUNT] = "Give either a percentage or a count, not both."
    if note is not None and len(note) > NOTE_MAX:
        errors[ProgressIds.NOTE] = f"Please keep the note under {NOTE_MAX} characters."
    if errors:
        return errors
    return ProgressDraft(percent=percent, amount=count, note=note)
