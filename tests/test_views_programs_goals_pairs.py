"""Pure parsers and answers of the programs, goals and pairs views."""

from __future__ import annotations

from bot.views.goals import parse_status_choice
from bot.views.pairs import PairIds, parse_takeaway
from bot.views.programs import (
    build_admin_channel_set,
    build_close_cancelled,
    build_program_closed,
    build_program_usage,
)
from models.enums import GoalStatus


def test_a_status_choice_parses_or_is_refused() -> None:
    assert parse_status_choice("42:achieved") == (42, GoalStatus.ACHIEVED)
    assert parse_status_choice("7:open") == (7, GoalStatus.OPEN)
    for garbled in (None, "", "42", "x:achieved", "42:finished"):
        assert parse_status_choice(garbled) is None


def test_a_takeaway_needs_a_few_words() -> None:
    def state(value: str) -> dict:
        return {PairIds.TAKEAWAY_TEXT: {PairIds.TAKEAWAY_TEXT: {"value": value}}}

    assert parse_takeaway(state("  Listen first  ")) == "Listen first"
    assert set(parse_takeaway(state("ok"))) == {PairIds.TAKEAWAY_TEXT}  # type: ignore[arg-type]
    assert set(parse_takeaway({})) == {PairIds.TAKEAWAY_TEXT}  # type: ignore[arg-type]


def test_program_answers_say_what_happened() -> None:
    moved = build_admin_channel_set(user_id="U1", channel_id="C1")
    assert moved["response_type"] == "in_channel"
    assert "<@U1> made <#C1>" in moved["text"]
    closed = build_program_closed(user_id="U1", name="Beta", changed=True)
    assert (closed["text"], closed["replace_original"]) == (
        ":white_check_mark: <@U1> closed *Beta*.",
        True,
    )
    again = build_program_closed(user_id="U1", name=None, changed=False)
    assert again["text"] == "*the program* was already closed; nothing changed."
    assert build_close_cancelled()["text"] == "Kept open; nothing changed."
    assert "program create" in build_program_usage()["text"]
