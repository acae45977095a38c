"""Block Kit builders are pure: checked against slack_sdk's models and Slack's limits."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.commands import parse_command
from bot.views.blocks import SECTION_TEXT_LIMIT, clip, section
from bot.views.help import build_help
from bot.views.home import build_home
from handlers import discover_features


def test_help_lists_every_subcommand_and_is_valid() -> None:
    commands = discover_features().commands()
    assert len(commands) >= 21  # every feature's subcommands, participants' and coordinators'
    message = build_help(commands)
    rendered = str(message["blocks"])
    for command in commands:
        if not command.coordinators_only:
            assert f"/mentor {command.usage}" in rendered
    as_coordinator = str(build_help(commands, is_coordinator=True)["blocks"])
    for command in commands:
        assert f"/mentor {command.usage}" in as_coordinator
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    assert message["text"]  # the notification fallback is never empty


def test_help_for_unknown_command_names_it_and_clips_it() -> None:
    message = build_help(discover_features().commands(), unknown="x" * 500)
    first = message["blocks"][0]["text"]["text"]
    assert "x" * 40 in first
    assert "x" * 41 not in first


def test_home_view_is_valid() -> None:
    view = build_home(user_id="U0JUNIOR01")
    View(**view).validate_json()
    assert view["type"] == "home"
    assert "<@U0JUNIOR01>" in str(view["blocks"])


def test_long_text_is_clipped_to_slack_limits() -> None:
    block = section("a" * 5000)
    assert len(block["text"]["text"]) == SECTION_TEXT_LIMIT
    assert block["text"]["text"].endswith("…")
    assert clip("short", 10) == "short"


def test_parse_command_splits_and_lowercases_the_subcommand() -> None:
    assert parse_command(None).name == ""
    parsed = parse_command("  Admin  program   create ")
    assert (parsed.name, parsed.args, parsed.is_admin) == ("admin", ["program", "create"], True)
