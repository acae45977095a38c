"""Words and files of `/mentor mydata` and `/mentor forget`: the export as JSON and as
readable Markdown, and the confirmation that says exactly what forgetting does."""

from __future__ import annotations

import enum
import json
from typing import Any

from bot.views.blocks import button, context, header, section


class DataRightsIds(enum.StrEnum):
    FORGET_CONFIRM = "forget-confirm"
    FORGET_CANCEL = "forget-cancel"


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _value(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value).replace("\n", " ")


def _fields(row: dict[str, Any]) -> list[str]:
    return [f"- {key.replace('_', ' ')}: {_value(value)}" for key, value in row.items()]


def _listing(title: str, rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"### {title}", ""]
    if not rows:
        return [*lines, "None.", ""]
    for number, row in enumerate(rows, start=1):
        lines.append(
            f"{number}. "
            + " · ".join(f"{k.replace('_', ' ')}: {_value(v)}" for k, v in row.items())
        )
    return [*lines, ""]


def export_markdown(data: dict[str, Any]) -> str:
    """The same data as the JSON file, for reading."""
    lines = [
        "# What twoway stores about you",
        "",
        f"Slack user {data['slack_user_id']} in workspace {data.get('workspace') or '—'}.",
        "",
        "## Your Slack profile as twoway keeps it",
        "",
        *(_fields(data["member"]) if data.get("member") else ["None."]),
        "",
    ]
    if data.get("coordinator"):
        lines += ["## Coordinator", "", *_fields(data["coordinator"]), ""]
    if not data["programs"]:
        lines += ["You have not joined any program.", ""]
    for program in data["programs"]:
        lines += [f"## Program: {program['program']}", "", "### Profile", ""]
        lines += [*_fields(program["profile"]), ""]
        for pair in program["pairs"]:
            partners = ", ".join(pair["partners"]) or "—"
            lines += [
                f"### Pair, round {pair['round']} with {partners}",
                "",
                f"- status: {pair['status']} · started: {_value(pair['started_at'])} · "
                f"ended: {_value(pair['ended_at'])}",
                "",
            ]
            lines += _listing("Sessions", pair["sessions"])[1:]
        lines += _listing("Goals", program["goals"])
        lines += _listing("Action items", program["action_items"])
        lines += _listing("Learnings", program["learnings"])
        lines += _listing("Feedback you gave", program["feedback"]["given"])
        lines += _listing("Feedback you received", program["feedback"]["received"])
        lines += _listing("Survey answers", program["survey_answers"])
    lines += _listing("Your actions in the audit log", data.get("actions_on_record", []))
    return "\n".join(lines)


def mydata_planned() -> dict[str, Any]:
    return {
        "response_type": "ephemeral",
        "text": "Your data is on its way to your DM with me: a JSON file and a readable copy.",
    }


def nothing_stored() -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": "twoway stores nothing about you."}


def forget_confirmation(kinds: list[str]) -> dict[str, Any]:
    """What `/mentor forget` will do, in full, before anything happens."""
    texts = ", ".join(kinds)
    text = (
        "*Forget me: this cannot be undone.* If you confirm, twoway will:\n"
        "• end your current pairs; your partners get a short note that you stepped back, "
        "without any reason or detail;\n"
        f"• delete what you wrote ({texts}) and the feedback you received;\n"
        "• keep only anonymous numbers (sessions held, minutes, survey scores) under a "
        "code that no longer points at you, so program totals stay right;\n"
        "• remove your Slack identity, your name and timezone, and the DMs it opened with you.\n"
        "Coordinators see only that a participant's data was erased. If you `/mentor join` "
        "later, you start from nothing. Want a copy first? Run `/mentor mydata`."
    )
    return {
        "response_type": "ephemeral",
        "text": "Forget me: this cannot be undone.",
        "blocks": [
            section(text),
            {
                "type": "actions",
                "elements": [
                    button(
                        "Forget me",
                        action_id=DataRightsIds.FORGET_CONFIRM.value,
                        value="forget",
                        style="danger",
                    ),
                    button("Cancel", action_id=DataRightsIds.FORGET_CANCEL.value, value="cancel"),
                ],
            },
        ],
    }


def forgotten(*, partners: int, found: bool) -> dict[str, Any]:
    if not found:
        return {"text": "twoway had nothing stored about you; nothing changed."}
    told = (
        f" Your {'partner has' if partners == 1 else f'{partners} partners have'} been told "
        "you stepped back."
        if partners
        else ""
    )
    return {
        "text": "Done: twoway has forgotten you." + told,
        "blocks": [
            header("twoway has forgotten you"),
            section("Your texts are deleted and your identity is removed." + told),
            context("You can `/mentor join` again any time; you'll start from nothing."),
        ],
    }


def forget_cancelled() -> dict[str, Any]:
    return {"text": "Nothing changed: twoway still has your data."}
