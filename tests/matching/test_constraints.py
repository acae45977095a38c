"""Hard constraints hold even when breaking them would score higher."""

from __future__ import annotations

import random
from typing import Any, Literal

import pytest

from bot.matching import Candidate, MatchResult, MatchRules, match
from tests.matching.factories import person, random_round
from tests.matching.reference import pair_feasible

TOPICS = {"ai tools", "tiktok", "sql"}


def _perfect(key: str, role: Literal["senior", "junior"], **kwargs: Any) -> Candidate:
    """Someone who would be everyone's best partner on topics."""
    return person(key, role, can_share=TOPICS, wants_to_learn=TOPICS, **kwargs)


def _pairs(result: MatchResult) -> set[tuple[str, str]]:
    return {(p.senior, p.junior) for p in result.pairs}


def test_same_department_never_paired_unless_allowed() -> None:
    seniors = [_perfect("S1", "senior", department="Sales")]
    juniors = [
        _perfect("J1", "junior", department=" sales"),
        person("J2", "junior", department="IT"),
    ]

    assert _pairs(match(seniors, juniors)) == {("S1", "J2")}
    assert _pairs(match(seniors, juniors, MatchRules(allow_same_department=True))) == {("S1", "J1")}


@pytest.mark.parametrize("who_avoids", ["senior", "junior"])
def test_avoid_list_works_in_both_directions(who_avoids: str) -> None:
    senior = _perfect(
        "S1", "senior", department="IT", avoid={"J1"} if who_avoids == "senior" else ()
    )
    best = _perfect("J1", "junior", avoid={"S1"} if who_avoids == "junior" else ())
    plain = person("J2", "junior")

    assert _pairs(match([senior], [best, plain])) == {("S1", "J2")}


@pytest.mark.parametrize("order", [("S1", "J1"), ("J1", "S1")])
def test_past_pairs_never_meet_again(order: tuple[str, str]) -> None:
    seniors = [_perfect("S1", "senior", department="IT")]
    juniors = [_perfect("J1", "junior"), person("J2", "junior")]
    rules = MatchRules(past_pairs=frozenset({frozenset(order)}))

    assert _pairs(match(seniors, juniors, rules)) == {("S1", "J2")}


def test_minimum_overlap_is_required() -> None:
    seniors = [_perfect("S1", "senior", department="IT", utc_offset_minutes=540)]
    juniors = [
        _perfect("J1", "junior", utc_offset_minutes=-300),  # New York: no overlap with Tokyo
        person("J2", "junior", utc_offset_minutes=420),  # Bangkok-ish: 6 h overlap
    ]

    assert _pairs(match(seniors, juniors)) == {("S1", "J1")}
    assert _pairs(match(seniors, juniors, MatchRules(min_overlap_minutes=60))) == {("S1", "J2")}


def test_nobody_is_paired_with_themselves() -> None:
    seniors = [_perfect("U1", "senior", department="IT")]
    juniors = [_perfect("U1", "junior"), person("U2", "junior")]

    assert _pairs(match(seniors, juniors)) == {("U1", "U2")}


def test_no_feasible_pair_gives_no_pairs() -> None:
    seniors = [person("S1", "senior", department="IT")]
    juniors = [person("J1", "junior", department="it")]

    result = match(seniors, juniors)

    assert result.pairs == ()
    assert result.total_score == 0
    assert len(result.unmatched) == 2


@pytest.mark.parametrize("seed", range(40))
def test_random_rounds_propose_only_feasible_pairs(seed: int) -> None:
    seniors, juniors, rules = random_round(random.Random(seed), 12, 10)
    by_key = {p.key: p for p in seniors + juniors}

    for pair in match(seniors, juniors, rules).pairs:
        assert pair_feasible(by_key[pair.senior], by_key[pair.junior], rules)


def test_input_errors_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate senior"):
        match([person("S", "senior"), person("S", "senior")], [])
    with pytest.raises(ValueError, match="is in the juniors"):
        match([], [person("S", "senior")])
