"""A modal's form, as the browser sent it, turned into Slack's `view.state.values`.

The browser sends each field as `block_id::action_id` with one or more strings; the view
the app opened says which element each one is, so the shape matches what Slack sends
for that element type (an option object with its text, `selected_date`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _option_lookup(element: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    return {str(o.get("value")): dict(o) for o in options}


def element_state(element: Mapping[str, Any], raw: Sequence[str]) -> dict[str, Any]:
    """One element's state entry from the strings the form held for it."""
    kind = str(element.get("type"))
    first = next((v for v in raw if v != ""), None)
    chosen = [v for v in raw if v != ""]
    state: dict[str, Any] = {"type": kind}
    if kind in {"plain_text_input", "email_text_input", "url_text_input", "number_input"}:
        state["value"] = first
    elif kind == "datepicker":
        state["selected_date"] = first
    elif kind == "timepicker":
        state["selected_time"] = first
    elif kind in {"static_select", "radio_buttons", "external_select"}:
        options = _option_lookup(element)
        state["selected_option"] = options.get(first) if first is not None else None
    elif kind in {"multi_static_select", "checkboxes", "multi_external_select"}:
        options = _option_lookup(element)
        state["selected_options"] = [options[v] for v in chosen if v in options]
    elif kind == "users_select":
        state["selected_user"] = first
    elif kind == "multi_users_select":
        state["selected_users"] = chosen
    elif kind in {"conversations_select"}:
        state["selected_conversation"] = first
    elif kind == "channels_select":
        state["selected_channel"] = first
    elif kind == "multi_conversations_select":
        state["selected_conversations"] = chosen
    elif kind == "multi_channels_select":
        state["selected_channels"] = chosen
    else:
        state["value"] = first
    return state


def state_values(
    view: Mapping[str, Any], form: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """`{block_id: {action_id: state}}` for every input block of the view, as Slack builds it."""
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        block_id = str(block.get("block_id", ""))
        action_id = str(element.get("action_id", ""))
        raw = form.get(f"{block_id}::{action_id}", [])
        values[block_id] = {action_id: element_state(element, raw)}
    return values


def selected_action(
    element_type: str,
    action: Mapping[str, Any],
    chosen: str | None,
    chosen_text: str | None = None,
) -> dict[str, Any]:
    """The `actions[0]` entry of `block_actions` for a button, select, overflow or date."""
    entry: dict[str, Any] = {
        "type": element_type,
        "action_id": action.get("action_id", ""),
        "block_id": action.get("block_id", ""),
    }
    if element_type == "button":
        entry["value"] = action.get("value")
        entry["text"] = action.get("text") or {"type": "plain_text", "text": ""}
    elif element_type == "datepicker":
        entry["selected_date"] = chosen
    elif element_type == "users_select":
        entry["selected_user"] = chosen
    elif element_type in {"conversations_select", "channels_select"}:
        entry["selected_conversation"] = chosen
    else:
        entry["selected_option"] = {
            "text": {"type": "plain_text", "text": chosen_text or chosen or ""},
            "value": chosen,
        }
    if entry.get("value") is None:
        entry.pop("value", None)
    return entry
