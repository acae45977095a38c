"""`match` finds the best matching of maximum size; greedy does not always."""

from __future__ import annotations

import math
import random

import pytest

from bot.matching import MatchRules, Weights, greedy_match, match
from tests.matching.factories import person, random_round
from tests.matching.reference import best_matchings


@pytest.mark.parametrize("seed", range(200))
def test_equals_brute_force_on_small_rounds(seed: int) -> None:
    rng = random.Random(seed)
    seniors, juniors, rules = random_round(rng, rng.randint(0, 5), rng.randint(0, 5))

    result = match(seniors, juniors, rules)

    most_pairs, best_total, _ = best_matchings(seniors, juniors, rules)
    assert len(result.pairs) == most_pairs
    assert math.isclose(result.total_score, best_total, rel_tol=0, abs_tol=1e-9)
    assert math.isclose(result.total_score, sum(p.score for p in result.pairs), abs_tol=1e-9)


@pytest.mark.parametrize("seed", range(30))
def test_never_worse_than_greedy(seed: int) -> None:
    seniors, juniors, rules = random_round(random.Random(seed), 30, 25)

    best = match(seniors, juniors, rules)
    greedy = greedy_match(seniors, juniors, rules)

    # Pair count comes first, so compare (pairs, score); greedy can only win on score by
    # leaving someone out, which `match` refuses to do.
    assert len(best.pairs) >= len(greedy.pairs)
    if len(best.pairs) == len(greedy.pairs):
        assert best.total_score >= greedy.total_score - 1e-9


@pytest.mark.parametrize("seed", range(30))
def test_total_score_at_least_greedy_when_everyone_can_meet(seed: int) -> None:
    seniors, juniors, rules = random_round(random.Random(seed), 30, 25, constrained=False)

    assert match(seniors, juniors, rules).total_score >= (
        greedy_match(seniors, juniors, rules).total_score - 1e-9
    )


def test_beats_greedy_where_the_best_pair_is_a_trap() -> None:
    # A–X is the single best pair (10), but taking it forces B–Y (0): 10 in total.
    # A–Y (9) plus B–X (8) is worth 17.
    rules = MatchRules(
        allow_same_department=True,
        weights=Weights(senior_shares=0, overlap_per_hour=0, shared_language=0,
                        different_department=0, junior_shares=1),
    )  # fmt: skip
    seniors = [
        person("A", "senior", wants_to_learn=[f"t{i}" for i in range(10)]),
        person("B", "senior", wants_to_learn=[f"u{i}" for i in range(8)]),
    ]
    juniors = [
        person(
            "X", "junior", can_share=[*(f"t{i}" for i in range(10)), *(f"u{i}" for i in range(8))]
        ),
        person("Y", "junior", can_share=[f"t{i}" for i in range(9)]),
    ]

    best = match(seniors, juniors, rules)
    greedy = greedy_match(seniors, juniors, rules)

    assert {(p.senior, p.junior) for p in best.pairs} == {("A", "Y"), ("B", "X")}
    assert best.total_score == 17
    assert greedy.total_score == 10
    assert best.total_score > greedy.total_score


def test_one_more_pair_beats_a_higher_score() -> None:
    # Greedy takes the great A–X pair and strands B, whose only option is X.
    rules = MatchRules(allow_same_department=True, past_pairs=frozenset({frozenset({"B", "Y"})}))
    seniors = [
        person("A", "senior", wants_to_learn={"ai tools", "sql"}),
        person("B", "senior"),
    ]
    juniors = [person("X", "junior", can_share={"ai tools", "sql"}), person("Y", "junior")]

    best = match(seniors, juniors, rules)
    greedy = greedy_match(seniors, juniors, rules)

    assert {(p.senior, p.junior) for p in best.pairs} == {("A", "Y"), ("B", "X")}
    assert len(greedy.pairs) == 1
    assert greedy.total_score > best.total_score
