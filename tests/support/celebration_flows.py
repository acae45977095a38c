"""Helpers for celebration tests: a pair with DMs, drafting a win, finding its buttons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.slack_emulator import SlackEmulator
from bot.views.celebrations import CelebrationIds as C
from models import Celebration, Program
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.interactions import click, submit_view, text
from tests.support.slack_requests import SlackRequests

JUNIOR = ("U0CJUN0001", "Europe/Berlin", 8, 18)
SENIOR = ("U0CSEN0001", "Europe/Berlin", 8, 18)
PUBLIC = "C0GENERAL1"  # a public channel the bot is not a member of


def celebrating_pair(
    app_server: AppServer, emulator: SlackEmulator, *, channel: str | None = PUBLIC
) -> tuple[int, int]:
    """(program id, pair id) of an active pair in a program celebrating in `channel`."""
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Wins", celebration_channel_id=channel)
    pair_id, _ = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=JUNIOR,
        senior=SENIOR,
        started_at=datetime.now(UTC),
    )
    return program_id, pair_id


def draft_values(what: str, for_whom: str) -> dict[str, Any]:
    return {C.WHAT: text(C.WHAT, what), C.FOR_WHOM: text(C.FOR_WHOM, for_whom)}


def open_modal(
    slack: SlackRequests, emulator: SlackEmulator, *, user: str, **click_args: Any
) -> tuple[dict[str, Any], str]:
    """Run `/mentor celebrate` (or click a button, with `click_args`): the modal and its id."""
    before = len(emulator.calls("views.open"))
    if click_args:
        click(slack, user=user, **click_args)
    else:
        slack.command("celebrate", user=user)
    call = emulator.wait_for("views.open", before + 1)[before]
    assert call.ok, call.response
    return call.json("view"), call.response["view"]["id"]


def draft(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer, *, user: str, what: str
) -> None:
    view, view_id = open_modal(slack, emulator, user=user)
    response = submit_view(
        slack, user=user, view=view, view_id=view_id, values=draft_values(what, "the sales team")
    )
    assert (response.status_code, response.text) == (200, "")
    app_server.wait_idle()


def dm_of(emulator: SlackEmulator, user: str) -> str:
    for call in emulator.calls("conversations.open"):
        if call.ok and call.args.get("users") == user:
            return str(call.response["channel"]["id"])
    raise AssertionError(f"no DM opened with {user}")


def buttons(emulator: SlackEmulator, user: str, action_id: str) -> list[tuple[str, str, str]]:
    """(channel, ts, value) of each button `action_id` the bot sent to `user`'s DM."""
    channel = dm_of(emulator, user)
    found = []
    for message in emulator.messages(channel):
        for block in message.get("blocks") or []:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("action_id") == action_id:
                    found.append((channel, message["ts"], element["value"]))
    return found


def press(slack: SlackRequests, user: str, button: tuple[str, str, str], action_id: str) -> None:
    channel, ts, value = button
    click(slack, user=user, action_id=action_id, value=value, channel=channel, message_ts=ts)


def posts_in(emulator: SlackEmulator, channel: str) -> list[dict[str, Any]]:
    return [m for m in emulator.messages(channel) if "A win from" in m.get("text", "")]


def celebrations(app_server: AppServer) -> list[Celebration]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(Celebration).order_by(Celebration.id)))


def program(app_server: AppServer, program_id: int) -> Program:
    with app_server.runtime.unit_of_work() as session:
        found = session.get(Program, program_id)
        assert found is not None
        return found
