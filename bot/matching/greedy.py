"""A greedy baseline (best remaining pair first), to show what the optimal matching gains."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import Candidate, MatchRules, check_sides
from bot.matching.outcome import build_result
from bot.matching.results import MatchResult
from bot.matching.scoring import score

_CHUNK = 1 << 16


def greedy_match(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    rules: MatchRules = MatchRules(),  # noqa: B008 - frozen, one shared default is safe
) -> MatchResult:
    """Same scores and constraints as `match`, but pairs picked greedily (not optimal)."""
    check_sides(seniors, juniors)
    scored = score(seniors, juniors, rules)
    rows, cols = greedy_pairs(scored.scores, scored.feasibility.feasible)
    return build_result(seniors, juniors, rules, scored, rows, cols)


def greedy_pairs(scores: np.ndarray, feasible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Take the best feasible pair whose people are both free, repeatedly.

    Ties go to the earlier senior, then the earlier junior (stable sort on row-major order).
    """
    n_juniors = feasible.shape[1]
    flat = np.flatnonzero(feasible)
    order = flat[np.argsort(-scores.ravel()[flat], kind="stable")]
    limit = min(int(feasible.any(axis=1).sum()), int(feasible.any(axis=0).sum()))
    senior_free = np.ones(feasible.shape[0], dtype=bool)
    junior_free = np.ones(n_juniors, dtype=bool)
    rows: list[int] = []
    cols: list[int] = []
    for start in range(0, len(order), _CHUNK):
        if len(rows) == limit:
            break
        for index in order[start : start + _CHUNK].tolist():
            i, j = divmod(index, n_juniors)
            if senior_free[i] and junior_free[j]:
                senior_free[i] = junior_free[j] = False
                rows.append(i)
                cols.append(j)
                if len(rows) == limit:
                    break
    return np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)
