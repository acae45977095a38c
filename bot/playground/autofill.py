"""Answers for any modal the app opens, as a cooperative participant would give them.

The scripted demo fills forms it has never seen the shape of: each input is answered
from its type and what its ids say it asks (a learning, feedback, a date to follow up).
A pure function of the view, so a redesigned modal is answered without changing the demo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

# What a person writes, by a word in the input's block or action id (first match wins);
# where there are several, each week takes the next, so a quarter reads like one.
PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "feedback-what",
        (
            "You showed me the shortcuts step by step instead of doing it for me.",
            "You asked what I already knew before explaining the history.",
            "You brought a real customer case instead of slides.",
        ),
    ),
    (
        "feedback-effect",
        (
            "I tried it alone the next morning and it worked.",
            "I could follow the decision without feeling lost.",
            "I now see why the team works the way it does.",
        ),
    ),
    (
        "feedback-suggestion",
        (
            "Next time, send the link to the example beforehand.",
            "Could we keep five minutes at the end for questions?",
            "Let's try it on one of my own tasks next time.",
        ),
    ),
    (
        "learning",
        (
            "How the team turns customer calls into a shared summary within an hour.",
            "Why the budget cycle decides when new tools can be bought.",
            "Shared dashboards answer most status questions before they are asked.",
            "Who to ask before changing a process that three teams depend on.",
        ),
    ),
    ("reflection", ("Listening first, then asking why, made our sessions better.",)),
    (
        "action",
        (
            "Try the meeting-notes assistant in Monday's team meeting.",
            "Share one dashboard with my team instead of the weekly email.",
            "Ask finance how the next budget request is decided.",
        ),
    ),
    ("skip", ("Travelling this week.",)),
    ("win", ("Meeting notes now reach the whole team the same day.",)),
    ("note", ("Half-way there.",)),
)
FALLBACK_TEXT = "Fine, thanks."
# Options a cooperative person picks, by value or label (first match wins).
PREFERRED = ("met", "yes", "shared", "4", "done", "approve")


def _ids(block: Mapping[str, Any]) -> str:
    element = block.get("element") or {}
    return f"{block.get('block_id', '')} {element.get('action_id', '')}".lower()


def _phrase(ids: str, today: date) -> str:
    texts = next((texts for word, texts in PHRASES if word in ids), (FALLBACK_TEXT,))
    return texts[today.toordinal() // 7 % len(texts)]


def _options(element: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return options


def _label(option: Mapping[str, Any]) -> str:
    return str((option.get("text") or {}).get("text", "")).lower()


def _preferred(options: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    for wanted in PREFERRED:
        for option in options:
            if str(option.get("value", "")).lower() == wanted or _label(option).startswith(wanted):
                return option
    return options[0] if options else None


def _answer(element: Mapping[str, Any], ids: str, today: date) -> list[str]:
    kind = str(element.get("type"))
    if kind == "number_input":
        return ["30" if "minute" in ids else str(element.get("min_value") or "1")]
    if kind in {"plain_text_input", "email_text_input", "url_text_input"}:
        if "minute" in ids:
            return ["30"]
        limit = int(element.get("max_length") or 3000)
        return [_phrase(ids, today)[:limit]]
    if kind == "datepicker":
        later = "due" in ids or "later" in ids or "follow" in ids
        return [(today + timedelta(days=7) if later else today).isoformat()]
    if kind == "timepicker":
        return ["10:00"]
    if kind in {"static_select", "radio_buttons"}:
        chosen = _preferred(_options(element))
        return [str(chosen["value"])] if chosen else []
    if kind in {"checkboxes", "multi_static_select"}:
        options = _options(element)
        return [str(options[0]["value"])] if options else []
    return []


def fill(view: Mapping[str, Any], *, today: date) -> dict[str, list[str]]:
    """The form for `view`: `block_id::action_id` → the strings a browser would send."""
    form: dict[str, list[str]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        answer = _answer(element, _ids(block), today)
        if answer:
            form[f"{block.get('block_id')}::{element.get('action_id')}"] = answer
    return form
