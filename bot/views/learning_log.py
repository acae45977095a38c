"""`/mentor learnings`, `/mentor actions` and `/mentor feedback`: paged ephemeral lists
(always within Slack's 50 blocks per message), the modal that adds a learning, and the
follow-up on an action item at its due date (done / still on it / dropped)."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from bot.services.action_items import ActionItemView
from bot.services.feedback import FeedbackEntry
from bot.services.learnings import LearningEntry
from bot.services.pairs import PairDetails
from bot.views.blocks import MESSAGE_BLOCK_LIMIT, button, context, header, section
from bot.views.checkins import LEARNING_MAX, escape, input_block
from bot.views.payloads import PAGE_MAX, bounded_int, button_id, id_or_none
from bot.views.rhythm import slack_time
from bot.views.state import State, selected_date, selected_value, text_value
from models.enums import ActionStatus, Visibility

LEARNINGS_PER_PAGE = 20
ACTION_ITEMS_PER_PAGE = 15  # two blocks each
FEEDBACK_PER_PAGE = 20
DATE = "{date_short_pretty}"


class LogIds(enum.StrEnum):
    LEARNINGS_PAGE_PREVIOUS = "learnings-page-previous"
    LEARNINGS_PAGE_NEXT = "learnings-page-next"
    ADD_LEARNING = "learnings-add"
    ADD_CALLBACK = "learnings-add-submit"
    ADD_TEXT = "learnings-add-text"
    ADD_PAIR = "learnings-add-pair"
    ACTION_ITEMS_PAGE_PREVIOUS = "actions-page-previous"
    ACTION_ITEMS_PAGE_NEXT = "actions-page-next"
    FEEDBACK_PAGE_PREVIOUS = "feedback-page-previous"
    FEEDBACK_PAGE_NEXT = "feedback-page-next"


class ActionItemIds(enum.StrEnum):
    """Buttons and the modal of an action item (values kept: they are in sent messages)."""

    DONE = "action-done"
    LATER = "action-later"
    DROPPED = "action-dropped"
    LATER_CALLBACK = "action-later-submit"
    LATER_DATE = "action-later-date"


def pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    return min(max(page, 0), pages(total, per_page) - 1)


def _pager(
    block_id: str,
    previous_id: str,
    next_id: str,
    *,
    page: int,
    total: int,
    per_page: int,
    extra: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Previous/Next buttons whose value is the page to show, plus a page counter."""
    count = pages(total, per_page)
    elements = list(extra or [])
    if page > 0:
        elements.append(button("Previous", previous_id, str(page - 1)))
    if page < count - 1:
        elements.append(button("Next", next_id, str(page + 1)))
    blocks: list[dict[str, Any]] = []
    if count > 1:
        blocks.append(context(f"Page {page + 1} of {count} · {total} in all"))
    if elements:
        blocks.append({"type": "actions", "block_id": block_id, "elements": elements})
    return blocks


def _message(text: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    # Pages are sized to fit (about 25 blocks); the cut is only a safety net.
    return {"response_type": "ephemeral", "text": text, "blocks": blocks[:MESSAGE_BLOCK_LIMIT]}


# -- learning log ------------------------------------------------------------------------------


def _learning_line(entry: LearningEntry) -> str:
    if entry.mine:
        where = (
            ":busts_in_silhouette: shared with your partner"
            if entry.visibility == Visibility.PAIR
            else ":lock: private"
        )
    else:
        where = f":busts_in_silhouette: shared by <@{entry.author_user_id}>"
    when = slack_time(entry.created_at, DATE)
    return f"*{when}* · {escape(entry.program_name)} · {where}\n{escape(entry.text)}"


def build_learning_log(entries: list[LearningEntry], *, total: int, page: int) -> dict[str, Any]:
    add = button("Add an entry", LogIds.ADD_LEARNING, "add", "primary")
    blocks: list[dict[str, Any]] = [header("Your learning log")]
    if not entries:
        blocks.append(
            section(
                "Nothing here yet. After each session I'll ask for one key learning; you can "
                "also add one any time."
            )
        )
    blocks += [section(_learning_line(e)) for e in entries[:LEARNINGS_PER_PAGE]]
    blocks += _pager(
        "learnings-pager",
        LogIds.LEARNINGS_PAGE_PREVIOUS,
        LogIds.LEARNINGS_PAGE_NEXT,
        page=page,
        total=total,
        per_page=LEARNINGS_PER_PAGE,
        extra=[add],
    )
    return _message("Your learning log", blocks)


def build_add_learning_modal(pairs: list[PairDetails]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": LogIds.ADD_TEXT,
            "label": {"type": "plain_text", "text": "What did you learn?"},
            "element": {
                "type": "plain_text_input",
                "action_id": LogIds.ADD_TEXT,
                "multiline": True,
                "max_length": LEARNING_MAX,
            },
        }
    ]
    if pairs:
        blocks.append(
            {
                "type": "input",
                "block_id": LogIds.ADD_PAIR,
                "optional": True,
                "label": {"type": "plain_text", "text": "Share it with your partner? (optional)"},
                "hint": {
                    "type": "plain_text",
                    "text": "Leave empty to keep it private to you.",
                },
                "element": {
                    "type": "static_select",
                    "action_id": LogIds.ADD_PAIR,
                    "placeholder": {"type": "plain_text", "text": "Keep it private"},
                    "options": [
                        {
                            "text": {
                                "type": "plain_text",
                                "text": f"{p.program_name}, round {p.round}"[:75],
                            },
                            "value": str(p.id),
                        }
                        for p in pairs[:100]
                    ],
                },
            }
        )
    return {
        "type": "modal",
        "callback_id": LogIds.ADD_CALLBACK,
        "title": {"type": "plain_text", "text": "Add a learning"},
        "submit": {"type": "plain_text", "text": "Add"},
        "blocks": blocks,
    }


def parse_learning(state: State) -> tuple[str, int | None] | dict[str, str]:
    text = text_value(state, LogIds.ADD_TEXT, LogIds.ADD_TEXT)
    if len(text.split()) < 3:
        return {LogIds.ADD_TEXT: "A few more words, please (at least three)."}
    if len(text) > LEARNING_MAX:
        return {LogIds.ADD_TEXT: f"Please keep it under {LEARNING_MAX} characters."}
    pair = selected_value(state, LogIds.ADD_PAIR, LogIds.ADD_PAIR)
    pair_id = id_or_none(pair)
    if pair is not None and pair_id is None:
        return {LogIds.ADD_PAIR: "Pick one of your pairs from the list, or none."}
    return text, pair_id


# -- action items ------------------------------------------------------------------------------


def build_actions_list(items: list[ActionItemView], *, total: int, page: int) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [header("Your open action items")]
    if not items:
        blocks.append(
            section("Nothing open. After each session I'll ask for one thing you'll apply.")
        )
    for item in items[:ACTION_ITEMS_PER_PAGE]:
        due = f"due {item.due_on:%a %d %b %Y}" if item.due_on else "no due date"
        blocks.append(section(f"*{escape(item.text)}*\n{escape(item.program_name)} · {due}"))
        blocks.append(item_buttons(item, origin=f"l{page}"))
    blocks += _pager(
        "actions-pager",
        LogIds.ACTION_ITEMS_PAGE_PREVIOUS,
        LogIds.ACTION_ITEMS_PAGE_NEXT,
        page=page,
        total=total,
        per_page=ACTION_ITEMS_PER_PAGE,
    )
    return _message("Your open action items", blocks)


# -- feedback ------------------------------------------------------------------------------


def _feedback_line(entry: FeedbackEntry) -> str:
    when = slack_time(entry.created_at, DATE)
    direction = (
        f":outbox_tray: *Given* to <@{entry.other_user_id}>"
        if entry.given
        else f":inbox_tray: *Received* from <@{entry.other_user_id}>"
    )
    return f"{direction} · {when} · {escape(entry.program_name)}\n{escape(entry.text)}"


def build_feedback_list(entries: list[FeedbackEntry], *, total: int, page: int) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        header("Your feedback"),
        context("Only you and your partner see these; coordinators never do."),
    ]
    if not entries:
        blocks.append(
            section("No feedback yet. You can give some in the check-in after a session.")
        )
    blocks += [section(_feedback_line(e)) for e in entries[:FEEDBACK_PER_PAGE]]
    blocks += _pager(
        "feedback-pager",
        LogIds.FEEDBACK_PAGE_PREVIOUS,
        LogIds.FEEDBACK_PAGE_NEXT,
        page=page,
        total=total,
        per_page=FEEDBACK_PER_PAGE,
    )
    return _message("Your feedback", blocks)


# -- action item follow-ups -------------------------------------------------------------------


def item_buttons(item: ActionItemView, *, origin: str) -> dict[str, Any]:
    value = f"{item.id}:{origin}"
    return {
        "type": "actions",
        "block_id": f"action-{item.id}",
        "elements": [
            button("Done", ActionItemIds.DONE, value, "primary"),
            button("Still on it", ActionItemIds.LATER, value),
            button("Dropped", ActionItemIds.DROPPED, value),
        ],
    }


def parse_item_value(value: object) -> tuple[int, int | None]:
    """(item id, page of the `/mentor actions` list the button was in, or None when it was
    in a follow-up message). Values read "<id>:f" or "<id>:l<page>"; `StaleButton` else."""
    item_id, _, origin = value.partition(":") if isinstance(value, str) else ("", "", "")
    if origin.startswith("l"):
        return button_id(item_id), bounded_int(origin[1:], low=0, high=PAGE_MAX) or 0
    return button_id(item_id), None


def build_followup(item: ActionItemView) -> dict[str, Any]:
    return {
        "text": "How did it go with what you said you'd apply?",
        "blocks": [
            section(
                ":alarm_clock: Today's the day you set for this "
                f"(from *{escape(item.program_name)}*):"
                f"\n>{escape(item.text)}\nHow did it go?"
            ),
            item_buttons(item, origin="f"),
        ],
    }


CLOSED_WORDS = {
    ActionStatus.DONE: ":white_check_mark: Done — nice work! It counts in your pair's record.",
    ActionStatus.DROPPED: ":heavy_minus_sign: Dropped. Not everything fits; that's fine.",
    ActionStatus.OPEN: "",
}


def build_item_closed(item: ActionItemView, *, changed: bool) -> dict[str, Any]:
    words = CLOSED_WORDS[item.status]
    if not changed:
        words = f"This one is already marked {item.status.value}; nothing changed."
    return {"text": words, "blocks": [section(f"{words}\n>{escape(item.text)}")]}


def build_later_modal(item: ActionItemView) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ActionItemIds.LATER_CALLBACK,
        "private_metadata": str(item.id),
        "title": {"type": "plain_text", "text": "Still on it"},
        "submit": {"type": "plain_text", "text": "Move it"},
        "blocks": [
            section(f">{escape(item.text)}"),
            input_block(
                ActionItemIds.LATER_DATE,
                "When should I check in again?",
                {"type": "datepicker"},
                optional=False,
            ),
        ],
    }


def parse_later(state: State, *, today: date) -> date | dict[str, str]:
    due = selected_date(state, ActionItemIds.LATER_DATE, ActionItemIds.LATER_DATE)
    if due is None:
        return {ActionItemIds.LATER_DATE: "Pick the day I should check in again."}
    if due <= today:
        return {ActionItemIds.LATER_DATE: "Pick a day after today."}
    return due


def item_not_open(item: ActionItemView) -> str:
    return f"That item is already marked {item.status.value}, so I left it as it was."


def build_item_moved(item: ActionItemView) -> dict[str, Any]:
    """The owner's confirmation of "still on it", in their DM."""
    assert item.due_on is not None
    text = f":hourglass_flowing_sand: Still on it: I'll check in again on {item.due_on:%a %d %b}."
    return {"text": text, "blocks": [section(f"{text}\n>{escape(item.text)}")]}
