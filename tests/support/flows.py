"""Multi-step flows reused across end-to-end tests."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.slack_emulator import SlackEmulator
from bot.views.matching import MatchIds
from models.enums import Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import enrol, make_program
from tests.support.interactions import click
from tests.support.slack_requests import SlackRequests

JUNIOR = "U0JUN00001"
SENIOR = "U0SEN00001"


def wait_until(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.03)


def matched_pair(slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer) -> str:
    """One junior and one senior, matched and introduced; returns the pair DM channel id."""
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Pair program")
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id=JUNIOR,
        role=Role.JUNIOR,
        department="Marketing",
        can_share=["AI tools"],
        wants_to_learn=["Strategy"],
    )
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id=SENIOR,
        role=Role.SENIOR,
        department="Finance",
        can_share=["Strategy"],
        wants_to_learn=["AI tools"],
        timezone="America/New_York",
    )
    match_and_confirm(slack, emulator)
    wait_until(
        lambda: any(
            "Set my goals" in str(c.args.get("blocks")) for c in emulator.calls("chat.postMessage")
        )
    )
    intro = next(
        c for c in emulator.calls("chat.postMessage") if "Set my goals" in str(c.args.get("blocks"))
    )
    return str(intro.response["channel"])


def match_and_confirm(slack: SlackRequests, emulator: SlackEmulator) -> None:
    """A coordinator runs `/mentor admin match` and presses Confirm on the preview."""
    slack.command("admin match", user=COORDINATOR, channel=ADMIN_CHANNEL)
    wait_until(
        lambda: any(
            c.ok and "Match preview" in c.args.get("text", "")
            for c in emulator.calls("chat.postMessage")
        )
    )
    preview = next(
        c for c in emulator.calls("chat.postMessage") if c.ok and "Match preview" in c.args["text"]
    )
    run_id = next(
        e["value"]
        for b in preview.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == MatchIds.CONFIRM
    )
    click(
        slack,
        user=COORDINATOR,
        action_id=MatchIds.CONFIRM,
        value=run_id,
        message_ts=preview.response["ts"],
    )
