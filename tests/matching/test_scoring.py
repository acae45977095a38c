"""The vectorised score and feasibility matrices agree with the per-pair formulas."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.matching import Candidate, MatchRules, Weights, score_matrix
from tests.matching.factories import person, random_round
from tests.matching.reference import pair_feasible, pair_score


@pytest.mark.parametrize("seed", range(20))
def test_matrices_match_reference(seed: int) -> None:
    seniors, juniors, rules = random_round(random.Random(seed), 9, 11)

    scores, feasible = score_matrix(seniors, juniors, rules)

    assert scores.dtype == np.float64
    assert scores.shape == feasible.shape == (9, 11)
    assert feasible.dtype == bool
    expected = [[pair_score(s, j, rules) for j in juniors] for s in seniors]
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-9)
    allowed = [[pair_feasible(s, j, rules) for j in juniors] for s in seniors]
    np.testing.assert_array_equal(feasible, allowed)


def test_junior_sharing_weighs_more_by_default() -> None:
    senior = person("S", "senior", department="IT", wants_to_learn={"ai tools"})
    junior_teaches = person("A", "junior", can_share={"ai tools"})
    junior_learns = person("B", "junior", wants_to_learn={"strategy"})
    senior_teaches = person("S", "senior", department="IT", can_share={"strategy"})

    (teaches,), _ = score_matrix([senior], [junior_teaches], MatchRules())
    (learns,), _ = score_matrix([senior_teaches], [junior_learns], MatchRules())

    assert teaches[0] > learns[0] > 0


def test_labels_compare_case_insensitively() -> None:
    senior = person("S", "senior", department=" sales ", wants_to_learn={"AI Tools"})
    junior = person("J", "junior", department="Sales", can_share={"ai tools"})

    scores, feasible = score_matrix([senior], [junior], MatchRules())

    assert not feasible[0, 0]
    assert scores[0, 0] >= Weights().junior_shares


def test_empty_sides_give_empty_matrices() -> None:
    scores, feasible = score_matrix([], [person("J", "junior")], MatchRules())

    assert scores.shape == feasible.shape == (0, 1)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Candidate("", "senior", "IT", frozenset(), frozenset()),
        lambda: Candidate("K", "mentor", "IT", frozenset(), frozenset()),  # type: ignore[arg-type]
        lambda: Candidate("K", "senior", "IT", frozenset(), frozenset(), work_start_minute=1440),
        lambda: Candidate("K", "senior", "IT", frozenset(), frozenset(), work_end_minute=540),
        lambda: Candidate("K", "senior", "IT", frozenset(), frozenset(), utc_offset_minutes=900),
        lambda: Weights(junior_shares=-1),
        lambda: Weights(overlap_per_hour=float("nan")),
        lambda: MatchRules(min_overlap_minutes=-5),
    ],
)
def test_invalid_input_is_refused(build: object) -> None:
    with pytest.raises(ValueError, match=r"."):
        build()  # type: ignore[operator]
