"""Pair reasons: short, best first, and never a name or a key."""

from __future__ import annotations

import random

import pytest

from bot.matching import MatchRules, Weights, match
from bot.matching.reasons import FALLBACK, pair_reasons
from tests.matching.factories import person, random_round


@pytest.mark.parametrize("seed", range(30))
def test_reasons_are_short_and_anonymous(seed: int) -> None:
    seniors, juniors, rules = random_round(random.Random(seed), 20, 20)
    keys = [p.key for p in seniors + juniors]

    for pair in match(seniors, juniors, rules).pairs:
        assert 1 <= len(pair.reasons) <= 3
        for reason in pair.reasons:
            assert 0 < len(reason) <= 120
            assert not any(key in reason for key in keys)


def test_biggest_contribution_comes_first() -> None:
    senior = person("S", "senior", department="Sales", can_share={"strategy"},
                    wants_to_learn={"ai tools", "tiktok"}, languages={"en", "de"})  # fmt: skip
    junior = person("J", "junior", department="IT", can_share={"ai tools", "tiktok"},
                    wants_to_learn={"strategy"}, languages={"de"}, utc_offset_minutes=-300)  # fmt: skip

    assert pair_reasons(senior, junior, MatchRules()) == (
        "junior can share: ai tools, tiktok; senior wants to learn them",
        "senior can share: strategy; junior wants to learn it",
        "both speak: de",
    )


def test_hours_and_departments_are_described() -> None:
    rules = MatchRules(weights=Weights(junior_shares=0, senior_shares=0, shared_language=0))
    senior = person("S", "senior", department="Sales", utc_offset_minutes=60)
    junior = person("J", "junior", department="IT", utc_offset_minutes=30)

    assert pair_reasons(senior, junior, rules) == (
        "7h 30m of shared working hours",
        "different departments (Sales / IT)",
    )


def test_long_topic_lists_are_cut_to_fit() -> None:
    topics = {f"a rather long topic label number {i}" for i in range(10)}
    senior = person("S", "senior", department="IT", wants_to_learn=topics)
    junior = person("J", "junior", can_share=topics)

    first = pair_reasons(senior, junior, MatchRules())[0]

    assert len(first) <= 120
    assert "more; senior wants to learn them" in first


def test_a_pair_with_nothing_in_common_still_gets_a_reason() -> None:
    nothing = Weights(junior_shares=0, senior_shares=0, overlap_per_hour=0, shared_language=0,
                      different_department=0)  # fmt: skip
    rules = MatchRules(weights=nothing)

    (pair,) = match([person("S", "senior", department="IT")], [person("J", "junior")], rules).pairs

    assert pair.score == 0
    assert pair.reasons == (FALLBACK,)
