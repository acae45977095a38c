"""The pure Block Kit and view validation, limit by limit, at and just past each limit."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack_emulator.validation import message_block_errors, view_errors
from tests.slack_emulator.builders import modal, plain, section


def button(text: str = "Go", action_id: str = "twoway-go") -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "action_id": action_id, "value": "1"}


def select(options: int, text: str = "Option") -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": "twoway-pick",
        "placeholder": plain("Pick"),
        "options": [{"text": plain(text), "value": str(i)} for i in range(options)],
    }


def input_block() -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "goal",
        "label": plain("Goal"),
        "element": {"type": "plain_text_input", "action_id": "goal-text"},
    }


def test_valid_message_blocks_pass() -> None:
    blocks = [
        {"type": "header", "text": plain("x" * 150)},
        section("x" * 3000, block_id="b" * 255),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "y" * 2000}] * 10},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {"type": "actions", "elements": [button("x" * 75, f"a{i}") for i in range(25)]},
        {"type": "section", "text": plain("pick"), "accessory": select(100, "o" * 75)},
        {"type": "divider"},
    ]
    assert message_block_errors(blocks) == []
    assert message_block_errors([section("x")] * 50) == []


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "/blocks]"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "y"}] * 11}],
            "/blocks/0/fields",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "y" * 2001}]}],
            "/fields/0/text",
        ),
        ([{"type": "header", "text": plain("x" * 151)}], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}], "/blocks/0/text/type"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "/elements"),
        (
            [{"type": "actions", "elements": [button(action_id=f"a{i}") for i in range(26)]}],
            "/elements",
        ),
        ([{"type": "actions", "elements": [button("x" * 76)]}], "/elements/0/text/text"),
        ([{"type": "actions", "elements": [button(), button()]}], "/elements/1/action_id"),
        ([{"type": "actions", "elements": [button(action_id="a" * 256)]}], "/action_id"),
        ([{"type": "actions", "elements": [select(101)]}], "/elements/0/options"),
        ([{"type": "actions", "elements": [select(2, "o" * 76)]}], "/options/0/text/text"),
        ([section("x", block_id="b" * 256)], "/blocks/0/block_id"),
        ([section("a", block_id="same"), section("b", block_id="same")], "/blocks/1/block_id"),
        ([{"type": "carousel_of_dreams"}], "/blocks/0/type"),
        ([{"type": "section"}], "/blocks/0]"),
        ([section("")], "/blocks/0/text/text"),
        ([{"type": "actions", "elements": [{"type": "laser", "action_id": "x"}]}], "/type"),
    ],
)
def test_message_limits_are_enforced(blocks: list[dict[str, Any]], pointer: str) -> None:
    errors = message_block_errors(blocks)
    assert errors, "expected the blocks to be rejected"
    assert any(pointer in error for error in errors), errors


def test_sdk_models_are_the_second_net() -> None:
    picker = {"type": "datepicker", "action_id": "when", "initial_date": "tomorrow"}
    errors = message_block_errors([{"type": "actions", "elements": [picker]}])
    assert errors == [
        "initial_date attribute must be in format 'YYYY-MM-DD' [json-pointer:/blocks/0]"
    ]


def test_blocks_must_be_an_array() -> None:
    assert message_block_errors({"type": "section"}) == ["must be an array [json-pointer:/blocks]"]


def test_valid_modal_and_home_pass() -> None:
    assert view_errors(modal(), allowed_types=("modal",)) == []
    full = modal(
        title=plain("t" * 24),
        submit=plain("s" * 24),
        close=plain("c" * 24),
        private_metadata="m" * 3000,
        callback_id="c" * 255,
        blocks=[input_block(), *[section("x")] * 99],
    )
    assert view_errors(full, allowed_types=("modal",)) == []
    home = {"type": "home", "blocks": [section("x")] * 100}
    assert view_errors(home, allowed_types=("home",)) == []


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        (modal(title=plain("t" * 25)), "/view/title/text"),
        (modal(title={"type": "mrkdwn", "text": "t"}), "/view/title/type"),
        (modal(submit=plain("s" * 25)), "/view/submit/text"),
        (modal(close=plain("c" * 25)), "/view/close/text"),
        (modal(private_metadata="m" * 3001), "/view/private_metadata"),
        (modal(callback_id="c" * 256), "/view/callback_id"),
        (modal(blocks=[input_block()]), "/view/submit"),
        (modal(blocks=[section("x")] * 101), "/view/blocks]"),
        (modal(blocks=[section("a", "dup"), section("b", "dup")]), "/view/blocks/1/block_id"),
        (modal(type="home"), "/view/type"),
    ],
)
def test_modal_limits_are_enforced(view: dict[str, Any], pointer: str) -> None:
    errors = view_errors(view, allowed_types=("modal",))
    assert any(pointer in error for error in errors), errors


def test_home_rules() -> None:
    too_many = {"type": "home", "blocks": [section("x")] * 101}
    assert view_errors(too_many, allowed_types=("home",)) == [
        "must be less than 101 items [json-pointer:/view/blocks]"
    ]
    with_submit = {"type": "home", "submit": plain("Save"), "blocks": [section("x")]}
    assert any("/view/submit" in e for e in view_errors(with_submit, allowed_types=("home",)))
    assert view_errors(modal(), allowed_types=("home",)) == [
        "type must be one of ['home'] [json-pointer:/view/type]"
    ]
