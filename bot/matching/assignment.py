"""The optimal matching: most pairs first, then the highest total score, never a banned pair."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from bot.matching.candidates import Candidate, MatchRules, check_sides
from bot.matching.outcome import build_result
from bot.matching.results import MatchResult
from bot.matching.scoring import score


def match(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    rules: MatchRules = MatchRules(),  # noqa: B008 - frozen, one shared default is safe
) -> MatchResult:
    """Propose pairs for one round; same input in the same order gives the same result."""
    check_sides(seniors, juniors)
    scored = score(seniors, juniors, rules)
    rows, cols = optimal_pairs(scored.scores, scored.feasibility.feasible)
    return build_result(seniors, juniors, rules, scored, rows, cols)


def optimal_pairs(scores: np.ndarray, feasible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of a maximum-cardinality, maximum-score feasible matching.

    Each feasible entry gets a bonus larger than any possible total score, so one more
    pair always beats any gain in score; infeasible entries get 0, so the solver may
    still place them (a full assignment always exists) and we drop them afterwards.
    People with no feasible partner at all are left out of the solve to shrink it.
    """
    rows = np.flatnonzero(feasible.any(axis=1))
    cols = np.flatnonzero(feasible.any(axis=0))
    if not len(rows):
        return rows, cols
    allowed = feasible[np.ix_(rows, cols)]
    profit = scores[np.ix_(rows, cols)]
    best = float(profit.max(initial=0.0, where=allowed))
    profit += min(len(rows), len(cols)) * best + 1.0
    profit[~allowed] = 0.0
    r, c = linear_sum_assignment(profit, maximize=True)
    keep = allowed[r, c]
    return rows[r[keep]], cols[c[keep]]
