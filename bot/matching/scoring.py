"""Soft scores for every senior–junior pair at once, with numpy instead of a pair loop."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.candidates import Candidate, MatchRules, normalise
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
    """(scores float64 S×J, feasible bool S×J) for the given round."""
    scored = score(seniors, juniors, rules)
    return scored.scores, scored.feasibility.feasible


def score(seniors: Sequence[Candidate], juniors: Sequence[Candidate], rules: MatchRules) -> Scored:
    """Weighted sum of topic fit both ways, capped shared hours, a common language, diversity."""
    w = rules.weights
    scores = np.zeros((len(seniors), len(juniors)), dtype=np.float64)
    topics: dict[str, int] = {}
    if w.junior_shares:
        learn = _one_hot([p.wants_to_learn for p in seniors], topics)
        share = _one_hot([p.can_share for p in juniors], topics)
        scores += w.junior_shares * _common_counts(learn, share)
    if w.senior_shares:
        share = _one_hot([p.can_share for p in seniors], topics)
        learn = _one_hot([p.wants_to_learn for p in juniors], topics)
        scores += w.senior_shares * _common_counts(share, learn)
    if w.shared_language:
        languages: dict[str, int] = {}
        s_lang = _one_hot([p.languages for p in seniors], languages)
        j_lang = _one_hot([p.languages for p in juniors], languages)
        scores += w.shared_language * (_common_counts(s_lang, j_lang) > 0)
    if w.different_department:
        departments: dict[str, int] = {}
        s_dept = _codes([p.department for p in seniors], departments)
        j_dept = _codes([p.department for p in juniors], departments)
        scores += w.different_department * (s_dept[:, None] != j_dept[None, :])
    overlap = overlap_minutes(seniors, juniors)
    if w.overlap_per_hour:
        capped = np.minimum(overlap, w.overlap_cap_minutes, dtype=np.float32)
        scores += (w.overlap_per_hour / 60.0) * capped
    return Scored(scores, feasibility(seniors, juniors, rules, overlap))


def _one_hot(label_sets: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """People × labels 0/1 matrix (float32: exact for these counts, half the memory).

    `vocabulary` is shared and grows, so both sides of a product use the same columns;
    the caller pads the narrower one via _common_counts.
    """
    rows: list[int] = []
    cols: list[int] = []
    for row, labels in enumerate(label_sets):
        for label in {normalise(x) for x in labels}:
            rows.append(row)
            cols.append(vocabulary.setdefault(label, len(vocabulary)))
    matrix = np.zeros((len(label_sets), max(len(vocabulary), 1)), dtype=np.float32)
    matrix[rows, cols] = 1.0
    return matrix


def _common_counts(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(S×T)·(T×J): how many labels each pair has in common."""
    width = max(left.shape[1], right.shape[1])
    left = np.pad(left, ((0, 0), (0, width - left.shape[1])))
    right = np.pad(right, ((0, 0), (0, width - right.shape[1])))
    return left @ right.T


def _codes(labels: Sequence[str], vocabulary: dict[str, int]) -> np.ndarray:
    """An integer code per label, so equality is one broadcast comparison."""
    return np.array([vocabulary.setdefault(normalise(x), len(vocabulary)) for x in labels])
