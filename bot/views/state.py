"""Typed readers for `view["state"]["values"]`, so parsers never dig with magic strings.

Total: whatever a (signed, hostile) submission puts in an element, a reader returns a
value of its type or "nothing chosen", and the parser turns that into a field error.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

State = dict[str, dict[str, dict[str, Any]]]


def _element(state: State, block_id: str, action_id: str) -> dict[str, Any]:
    block = state.get(block_id) if isinstance(state, dict) else None
    element = block.get(action_id) if isinstance(block, dict) else None
    return element if isinstance(element, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _option_value(option: Any) -> str | None:
    return _text(option.get("value")) if isinstance(option, dict) else None


def text_value(state: State, block_id: str, action_id: str) -> str:
    return (_text(_element(state, block_id, action_id).get("value")) or "").strip()


def selected_value(state: State, block_id: str, action_id: str) -> str | None:
    return _option_value(_element(state, block_id, action_id).get("selected_option"))


def selected_values(state: State, block_id: str, action_id: str) -> list[str]:
    options = _element(state, block_id, action_id).get("selected_options")
    values = [_option_value(o) for o in options] if isinstance(options, list) else []
    return [v for v in values if v is not None]


def selected_date(state: State, block_id: str, action_id: str) -> date | None:
    """The picked date; None when none was picked or it is not a date (`2026-02-30`)."""
    raw = _text(_element(state, block_id, action_id).get("selected_date"))
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def selected_time(state: State, block_id: str, action_id: str) -> time | None:
    raw = _text(_element(state, block_id, action_id).get("selected_time"))
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def selected_conversation(state: State, block_id: str, action_id: str) -> str | None:
    element = _element(state, block_id, action_id)
    return _text(element.get("selected_conversation")) or _text(element.get("selected_channel"))


def selected_users(state: State, block_id: str, action_id: str) -> list[str]:
    users = _element(state, block_id, action_id).get("selected_users")
    return [u for u in users if isinstance(u, str)] if isinstance(users, list) else []
