"""Typed readers for `view["state"]["values"]`, so parsers never dig with magic strings."""

from __future__ import annotations

from datetime import date, time
from typing import Any

State = dict[str, dict[str, dict[str, Any]]]


def _element(state: State, block_id: str, action_id: str) -> dict[str, Any]:
    return (state.get(block_id) or {}).get(action_id) or {}


def text_value(state: State, block_id: str, action_id: str) -> str:
    return (_element(state, block_id, action_id).get("value") or "").strip()


def selected_value(state: State, block_id: str, action_id: str) -> str | None:
    option = _element(state, block_id, action_id).get("selected_option")
    return option.get("value") if option else None


def selected_values(state: State, block_id: str, action_id: str) -> list[str]:
    options = _element(state, block_id, action_id).get("selected_options") or []
    return [option["value"] for option in options]


def selected_date(state: State, block_id: str, action_id: str) -> date | None:
    raw = _element(state, block_id, action_id).get("selected_date")
    return date.fromisoformat(raw) if raw else None


def selected_time(state: State, block_id: str, action_id: str) -> time | None:
    raw = _element(state, block_id, action_id).get("selected_time")
    return time.fromisoformat(raw) if raw else None


def selected_conversation(state: State, block_id: str, action_id: str) -> str | None:
    element = _element(state, block_id, action_id)
    return element.get("selected_conversation") or element.get("selected_channel")


def selected_users(state: State, block_id: str, action_id: str) -> list[str]:
    return list(_element(state, block_id, action_id).get("selected_users") or [])
