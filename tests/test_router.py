"""The router: one Bolt listener per kind, the feature's listener found from the request."""

from __future__ import annotations

import re
from typing import Any

import pytest

from handlers.router import Router
from handlers.routing import subcommand


def _named(name: str) -> Any:
    def listener(ack: Any) -> str:
        return name

    listener.__name__ = name
    return listener


def _click(action_id: str, kind: str = "block_actions") -> dict[str, Any]:
    return {"type": kind, "actions": [{"action_id": action_id}]}


def test_the_first_route_that_takes_an_action_wins_and_patterns_match_whole_ids() -> None:
    router = Router()
    router.action("pick")(_named("pick"))
    router.action(re.compile(r"slot-\d+"))(_named("slot"))
    router.action("slot-1")(_named("late"))  # registered after a pattern that takes it

    def chosen(body: dict[str, Any]) -> str | None:
        route = router.route("action", body)
        return None if route is None else route.listener.__name__

    assert chosen(_click("pick")) == "pick"
    assert chosen(_click("slot-1")) == "slot"
    assert chosen(_click("slot-1x")) is None  # a pattern matches the whole id
    assert chosen(_click("unknown")) is None  # stays unhandled, as in Bolt
    assert chosen(_click("pick", kind="interactive_message")) is None
    assert chosen({"type": "block_actions", "actions": "not a list"}) is None


def test_commands_are_routed_by_their_matchers_in_order_with_a_fallback_last() -> None:
    router = Router()
    router.command("/mentor", matchers=[subcommand("join")])(_named("join"))
    router.command("/mentor")(_named("fallback"))

    def chosen(text: str, command: str = "/mentor") -> str | None:
        route = router.route("command", {"command": command, "text": text})
        return None if route is None else route.listener.__name__

    assert chosen("join") == "join"
    assert chosen("JOIN now") == "join"
    assert chosen("help") == "fallback"
    assert chosen("join", command="/other") is None


def test_views_are_routed_by_callback_id_and_only_submissions() -> None:
    router = Router()
    router.view("enrol-join")(_named("join"))
    submission = {"type": "view_submission", "view": {"callback_id": "enrol-join"}}
    route = router.route("view", submission)
    assert route is not None
    assert route.arg_names == ("ack",)
    closed = {"type": "view_closed", "view": {"callback_id": "enrol-join"}}
    assert router.route("view", closed) is None


def test_a_command_matcher_may_ask_only_for_the_payload() -> None:
    def odd(command: dict[str, Any], respond: Any) -> bool:
        return True

    with pytest.raises(TypeError, match="command matcher"):
        Router().command("/mentor", matchers=[odd])
