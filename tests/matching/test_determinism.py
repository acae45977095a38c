"""Same input gives the same result; the order of the input does not change the pairs."""

from __future__ import annotations

import random

import pytest

from bot.matching import greedy_match, match
from tests.matching.factories import random_round
from tests.matching.reference import best_matchings


def test_same_input_same_result() -> None:
    seniors, juniors, rules = random_round(random.Random(3), 150, 170)

    assert match(seniors, juniors, rules) == match(seniors, juniors, rules)
    assert greedy_match(seniors, juniors, rules) == greedy_match(seniors, juniors, rules)


@pytest.mark.parametrize("seed", range(60))
def test_shuffled_input_gives_the_same_pairs(seed: int) -> None:
    rng = random.Random(seed)
    seniors, juniors, rules = random_round(rng, 6, 6)
    _, _, optimal = best_matchings(seniors, juniors, rules)
    original = {(p.senior, p.junior) for p in match(seniors, juniors, rules).pairs}

    rng.shuffle(seniors)
    rng.shuffle(juniors)
    shuffled = {(p.senior, p.junior) for p in match(seniors, juniors, rules).pairs}

    # With a unique optimum the pairs must not move; with a tie either answer must be optimal.
    if len(optimal) == 1:
        assert shuffled == original
    assert {frozenset(original), frozenset(shuffled)} <= optimal
