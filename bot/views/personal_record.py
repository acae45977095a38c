"""`/mentor record`: the modal (period, and the learnings to include as checkbox groups of
at most 10, Slack's limit per element), its parser, and the record as message and file."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.services.personal_record import RecordFacts, RecordSetup
from bot.views.blocks import clip, context, header, section
from bot.views.state import State, selected_date, selected_values

CHECKBOXES_PER_GROUP = 10


class RecordIds(enum.StrEnum):
    CALLBACK = "record-submit"
    START = "record-start"
    END = "record-end"
    LEARNINGS = "record-learnings"  # block ids: record-learnings-0, -1, ...


@dataclass(frozen=True)
class RecordChoice:
    start: date
    end: date
    learning_ids: list[int]


def _date_input(block: RecordIds, label: str, initial: date) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block.value,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "datepicker",
            "action_id": block.value,
            "initial_date": initial.isoformat(),
        },
    }


def _learning_groups(setup: RecordSetup) -> list[dict[str, Any]]:
    groups = []
    for index in range(0, len(setup.learnings), CHECKBOXES_PER_GROUP):
        chunk = setup.learnings[index : index + CHECKBOXES_PER_GROUP]
        groups.append(
            {
                "type": "input",
                "optional": True,
                "block_id": f"{RecordIds.LEARNINGS.value}-{index // CHECKBOXES_PER_GROUP}",
                "label": {
                    "type": "plain_text",
                    "text": "Learnings to include"
                    if index == 0
                    else f"More learnings ({index + 1}–{index + len(chunk)})",
                },
                "element": {
                    "type": "checkboxes",
                    "action_id": RecordIds.LEARNINGS.value,
                    "options": [
                        {
                            "text": {
                                "type": "plain_text",
                                "text": clip(f"{e.on:%d %b}: {' '.join(e.text.split())}", 75),
                            },
                            "value": str(e.id),
                        }
                        for e in chunk
                    ],
                },
            }
        )
    return groups


def build_record_modal(setup: RecordSetup, *, today: date) -> dict[str, Any]:
    start = min(setup.starts_on, today)
    blocks: list[dict[str, Any]] = [
        section(
            f"Your record for *{setup.program}*, to forward to your manager yourself. "
            "Sessions, minutes, your goals and the action items you completed are included; "
            "of what you wrote privately, only the learnings you tick below."
        ),
        _date_input(RecordIds.START, "From", start),
        _date_input(RecordIds.END, "To", today),
    ]
    if setup.learnings:
        blocks += _learning_groups(setup)
    else:
        blocks.append(context("You have no learnings logged in this program."))
    if setup.more_learnings:
        blocks.append(context(f"{setup.more_learnings} older learnings are not listed."))
    return {
        "type": "modal",
        "callback_id": RecordIds.CALLBACK.value,
        "private_metadata": str(setup.participant_id),
        "title": {"type": "plain_text", "text": "My record"},
        "submit": {"type": "plain_text", "text": "Send it to me"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def parse_record_submission(state: State) -> RecordChoice | dict[str, str]:
    """The period and ticked learnings, or field errors (a period that ends before it starts)."""
    start = selected_date(state, RecordIds.START.value, RecordIds.START.value)
    end = selected_date(state, RecordIds.END.value, RecordIds.END.value)
    errors: dict[str, str] = {}
    if start is None:
        errors[RecordIds.START.value] = "Pick the first day of the period."
    if end is None:
        errors[RecordIds.END.value] = "Pick the last day of the period."
    if start and end and end < start:
        errors[RecordIds.END.value] = "The period must end on or after its first day."
    if errors or start is None or end is None:
        return errors
    ids: list[int] = []
    for block_id in state if isinstance(state, dict) else {}:
        if str(block_id).startswith(RecordIds.LEARNINGS.value + "-"):
            for value in selected_values(state, block_id, RecordIds.LEARNINGS.value):
                if value.isdigit() and len(value) < 12:
                    ids.append(int(value))
    return RecordChoice(start, end, sorted(set(ids)))


def record_planned() -> dict[str, Any]:
    return {"text": "Your record is on its way to your DM with me."}


def _period(facts: RecordFacts) -> str:
    return f"{facts.start:%d %b %Y} – {facts.end:%d %b %Y}"


def _goal(line: Any) -> str:
    target = f", by {line.target_on:%d %b %Y}" if line.target_on else ""
    return f"{line.text} (shown by: {line.indicator}{target}) — {line.status}"


def record_message(facts: RecordFacts) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        header(f"My mentoring record: {facts.program}"),
        section(
            f"*{_period(facts)}* · {facts.role}\n"
            f"{facts.sessions_held} sessions held, {facts.minutes} minutes in all."
        ),
    ]
    if facts.goals:
        blocks.append(section("*Goals*\n" + "\n".join(f"• {_goal(g)}" for g in facts.goals)))
    if facts.actions_done:
        blocks.append(
            section("*Put into practice*\n" + "\n".join(f"• {t}" for t, _ in facts.actions_done))
        )
    if facts.learnings:
        blocks.append(
            section("*Learnings*\n" + "\n".join(f"• {text}" for _, text in facts.learnings))
        )
    blocks.append(context("The file below holds the same record; forward it if you wish."))
    return {"text": f"My mentoring record: {facts.program}, {_period(facts)}", "blocks": blocks}


def record_markdown(facts: RecordFacts) -> str:
    lines = [
        f"# My mentoring record: {facts.program}",
        "",
        f"Period: {_period(facts)} · Role: {facts.role}",
        "",
        f"- Sessions held: {facts.sessions_held}",
        f"- Minutes together: {facts.minutes}",
        "",
        "## Goals",
        "",
        *([f"- {_goal(g)}" for g in facts.goals] or ["None in this period."]),
        "",
        "## Action items done",
        "",
        *(
            [f"- {t}" + (f" ({on:%d %b %Y})" if on else "") for t, on in facts.actions_done]
            or ["None in this period."]
        ),
        "",
        "## Learnings",
        "",
        *([f"- {on:%d %b %Y}: {text}" for on, text in facts.learnings] or ["None chosen."]),
        "",
    ]
    return "\n".join(lines)
