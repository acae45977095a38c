"""The Home frame keeps any mix of sections valid: ≤100 blocks, unique block ids."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.views.blocks import VIEW_BLOCK_LIMIT, section
from bot.views.home import build_home
from tests.support.home_flows import assert_valid_home


def test_oversized_sections_are_cut_to_a_valid_home() -> None:
    participant = [section("x" * 5000, block_id="same") for _ in range(70)]
    coordinator = [section(f"row {i}", block_id=f"row-{i}") for i in range(70)]
    view = build_home(user_id="U0VIEW0001", sections=[participant, [], coordinator])
    View(**view).validate_json()
    assert_valid_home(view)
    assert len(view["blocks"]) == VIEW_BLOCK_LIMIT
    assert "more than fits" in str(view["blocks"][-1])
    assert [b.get("block_id") for b in view["blocks"]].count("same") == 1


def test_empty_sections_add_no_dividers() -> None:
    view = build_home(user_id="U0VIEW0001", sections=[[], []])
    assert [b["type"] for b in view["blocks"]].count("divider") == 0
    assert_valid_home(view)
