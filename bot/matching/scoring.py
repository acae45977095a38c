"""Soft scores for every senior–junior pair at once, with numpy instead of a pair loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.candidates import MINUTES_PER_DAY, Candidate, MatchRules
from bot.matching.encoding import common_counts, label_codes
from bot.matching.feasibility import Feasibility, feasibility
from bot.matching.hours import overlap_minutes


@dataclass(frozen=True)
class Scored:
    """Everything the assignment and the explanations need from one scoring pass."""

    scores: np.ndarray  # float64 S×J, >= 0, computed for infeasible pairs too
    feasibility: Feasibility


def score_matrix(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate], rules: MatchRules
) -> tuple[np.ndarray, np.ndarray]:
    """(scores float64 S×J, feasible bool S×J) for one round."""
    scored = score(seniors, juniors, rules)
    return scored.scores, scored.feasibility.feasible


def score(seniors: Sequence[Candidate], juniors: Sequence[Candidate], rules: MatchRules) -> Scored:
    """Weighted sum of topic fit both ways, capped shared hours, a common language, diversity.

    Every term is >= 0 and built from whole-matrix operations, so 2,500 × 2,500 stays fast.
    """
    w = rules.weights
    scores = np.zeros((len(seniors), len(juniors)), dtype=np.float64)
    if w.junior_shares:
        common = common_counts([p.wants_to_learn for p in seniors], [p.can_share for p in juniors])
        _add(scores, w.junior_shares, common)
    if w.senior_shares:
        common = common_counts([p.can_share for p in seniors], [p.wants_to_learn for p in juniors])
        _add(scores, w.senior_shares, common)
    if w.shared_language:
        common = common_counts([p.languages for p in seniors], [p.languages for p in juniors])
        _add(scores, w.shared_language, common > 0)
    if w.different_department:
        s_dept, j_dept = label_codes(
            [p.department for p in seniors], [p.department for p in juniors]
        )
        _add(scores, w.different_department, s_dept[:, None] != j_dept[None, :])
    overlap = overlap_minutes(seniors, juniors)
    if w.overlap_per_hour:
        capped = np.minimum(overlap, min(w.overlap_cap_minutes, MINUTES_PER_DAY))
        _add(scores, w.overlap_per_hour / 60.0, capped)
    return Scored(scores, feasibility(seniors, juniors, rules, overlap))


def _add(scores: np.ndarray, weight: float, term: np.ndarray) -> None:
    """scores += weight * term, multiplied in float64 so it equals the per-pair arithmetic."""
    scores += np.multiply(term, weight, dtype=np.float64)
