"""Pair reasons: short, best first, and never a name or a key."""

from __future__ import annotations

import random

import pytest

from bot.matching import MatchRules, Weights, match
from bot.matching.reasons import FALLBACK, fill_reasons, pair_reasons
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

    reasons = pair_reasons(senior, junior, MatchRules())

    assert reasons == (
        "{junior} can show {senior} AI tools and tiktok, which {senior} wants to learn",
        "{senior} can guide {junior} on strategy, which {junior} wants to learn",
        "both speak German",
    )
    assert fill_reasons(reasons, junior="Jo", senior="Sam") == (
        "Jo can show Sam AI tools and tiktok, which Sam wants to learn; "
        "Sam can guide Jo on strategy, which Jo wants to learn; both speak German."
    )


def test_hours_and_departments_are_described() -> None:
    rules = MatchRules(weights=Weights(junior_shares=0, senior_shares=0, shared_language=0))
    senior = person("S", "senior", department="Sales", utc_offset_minutes=60)
    junior = person("J", "junior", department="IT", utc_offset_minutes=30)

    assert pair_reasons(senior, junior, rules) == (
        "working hours overlap by 7 hours 30 minutes a day",
        "{senior} works in Sales and {junior} in IT, so each sees another part of the organisation",
    )


def test_long_topic_lists_are_cut_to_fit() -> None:
    topics = {f"a rather long topic label number {i}" for i in range(10)}
    senior = person("S", "senior", department="IT", wants_to_learn=topics)
    junior = person("J", "junior", can_share=topics)

    first = pair_reasons(senior, junior, MatchRules())[0]

    assert len(first) <= 120
    assert "more, which {senior} wants to learn" in first


def test_a_pair_with_nothing_in_common_still_gets_a_reason() -> None:
    nothing = Weights(junior_shares=0, senior_shares=0, overlap_per_hour=0, shared_language=0,
                      different_department=0)  # fmt: skip
    rules = MatchRules(weights=nothing)

    (pair,) = match([person("S", "senior", department="IT")], [person("J", "junior")], rules).pairs

    assert pair.score == 0
    assert pair.reasons == (FALLBACK,)


def test_reasons_read_as_a_sentence_without_codes_or_scores() -> None:
    senior = person("S", "senior", wants_to_learn={"ai tools", "social media"}, languages={"en"})
    junior = person("J", "junior", can_share={"AI Tools", "Social media"}, languages={"en"})

    sentence = fill_reasons(pair_reasons(senior, junior, MatchRules()), junior="Jo", senior="Sam")

    assert sentence.startswith(
        "Jo can show Sam AI tools and social media, which Sam wants to learn; "
    )
    assert "both speak English" in sentence
    assert sentence.endswith(".")
    for machine in (":", "score", " en", "junior", "senior", "{"):
        assert machine not in sentence
