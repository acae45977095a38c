"""`/mentor help` reads in groups, hides coordinators' commands from others, and answers a
typo with the closest command instead of the whole list."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.commands import Subcommand
from bot.views.help import (
    AFTER_SESSION,
    COORDINATORS,
    GETTING_STARTED,
    MY_DATA,
    MY_PAIR,
    build_help,
    group_of,
)
from handlers import discover_features
from tests.support.slack_requests import SlackRequests


def _titles(message: dict) -> list[str]:
    return [
        b["text"]["text"].split("\n", 1)[0]
        for b in message["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("*")
    ]


def test_help_is_grouped_and_coordinators_see_their_own_group_only() -> None:
    commands = discover_features().commands()

    participant = build_help(commands)
    coordinator = build_help(commands, is_coordinator=True)

    assert _titles(participant) == [
        f"*{g}*" for g in (GETTING_STARTED, MY_PAIR, AFTER_SESSION, MY_DATA)
    ]
    assert _titles(coordinator)[-1] == f"*{COORDINATORS}*"
    assert "admin" not in str(participant)
    groups = {b["text"]["text"].split("\n", 1)[0]: b["text"]["text"] for b in participant["blocks"]
              if b["type"] == "section"}  # fmt: skip
    assert "`/mentor join [program]`" in groups[f"*{GETTING_STARTED}*"]
    assert "`/mentor goals`" in groups[f"*{MY_PAIR}*"]
    assert "`/mentor learnings`" in groups[f"*{AFTER_SESSION}*"]
    assert "`/mentor mydata`" in groups[f"*{MY_DATA}*"]
    for block in coordinator["blocks"]:
        Block.parse(block).validate_json()


def test_other_features_subcommands_fall_in_the_right_group_by_their_first_word() -> None:
    assert group_of(Subcommand("celebrate", "Share a win.")) == MY_PAIR
    assert group_of(Subcommand("mydata", "What twoway keeps about you.")) == MY_DATA
    assert group_of(Subcommand("forget", "Erase your data.")) == MY_DATA
    assert group_of(Subcommand("record", "Your record.")) == MY_DATA
    for admin in ("announce", "status", "report", "export", "coordinators", "sponsors", "audit",
                  "invite"):  # fmt: skip
        assert group_of(Subcommand(f"admin {admin}", "x", True)) == COORDINATORS
    assert group_of(Subcommand("admin status", "declared without the flag")) != COORDINATORS


def test_a_typo_gets_the_closest_command_not_the_whole_list() -> None:
    commands = discover_features().commands()

    typo = build_help(commands, unknown="goasl")
    nonsense = build_help(commands, unknown="frobnicate now")
    admin_typo = build_help(commands, unknown="admin rotaet", is_coordinator=True)
    admin_hidden = build_help(commands, unknown="admin rotaet")

    assert "Did you mean `/mentor goals`?" in str(typo["blocks"])
    assert "`/mentor help`" in str(typo["blocks"])
    assert len(typo["blocks"]) == 1  # one short answer, not the 21-line list
    assert "learnings" not in str(typo)
    assert "Did you mean" not in str(nonsense["blocks"])
    assert "Did you mean `/mentor admin rotate`?" in str(admin_typo["blocks"])
    assert "admin" not in str(admin_hidden["blocks"]).replace("`/mentor admin rotaet`", "")


def test_typo_through_the_app_answers_with_the_closest_command(slack: SlackRequests) -> None:
    body = slack.command("jion").json()

    rendered = str(body["blocks"])
    assert body["response_type"] == "ephemeral"
    assert "I don't know `/mentor jion`" in rendered
    assert "Did you mean `/mentor join`?" in rendered
    assert "Getting started" not in rendered
    full = str(slack.command("help").json()["blocks"])
    assert "Getting started" in full
    assert "My pair" in full
