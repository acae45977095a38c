"""Hard constraints: which senior–junior pairs may never be proposed, and why not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.candidates import MINUTES_PER_DAY, Candidate, MatchRules
from bot.matching.encoding import label_codes


@dataclass(frozen=True)
class Feasibility:
    """The S×J mask plus, per person, how many partners each constraint excludes."""

    feasible: np.ndarray  # bool S×J
    senior_exclusions: dict[str, np.ndarray]  # constraint -> count per senior (int, length S)
    junior_exclusions: dict[str, np.ndarray]  # constraint -> count per junior (int, length J)


def feasibility(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    rules: MatchRules,
    overlap: np.ndarray,
) -> Feasibility:
    """Combine every constraint's violations; counts let us tell an unmatched person why."""
    feasible = np.ones((len(seniors), len(juniors)), dtype=bool)
    by_senior: dict[str, np.ndarray] = {}
    by_junior: dict[str, np.ndarray] = {}
    for name, violated in _violations(seniors, juniors, rules, overlap):
        feasible &= ~violated
        by_senior[name] = violated.sum(axis=1)
        by_junior[name] = violated.sum(axis=0)
    return Feasibility(feasible, by_senior, by_junior)


def _violations(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    rules: MatchRules,
    overlap: np.ndarray,
) -> Iterator[tuple[str, np.ndarray]]:
    """Each constraint as (short label, bool S×J mask of the pairs it rules out)."""
    if not rules.allow_same_department:
        s_dept, j_dept = label_codes(
            [p.department for p in seniors], [p.department for p in juniors]
        )
        yield "same department", s_dept[:, None] == j_dept[None, :]
    if rules.min_overlap_minutes > 0:
        needed = min(rules.min_overlap_minutes, MINUTES_PER_DAY + 1)  # stays within int16
        yield "too little shared working time", overlap < needed
    senior_at = {p.key: i for i, p in enumerate(seniors)}
    junior_at = {p.key: j for j, p in enumerate(juniors)}
    yield (
        "avoid list",
        _mask(len(seniors), len(juniors), _avoided(seniors, juniors, senior_at, junior_at)),
    )
    yield "met before", _mask(len(seniors), len(juniors), _met_before(rules, senior_at, junior_at))
    same = [(senior_at[k], junior_at[k]) for k in senior_at.keys() & junior_at.keys()]
    yield "same person", _mask(len(seniors), len(juniors), same)


def _avoided(
    seniors: Sequence[Candidate],
    juniors: Sequence[Candidate],
    senior_at: dict[str, int],
    junior_at: dict[str, int],
) -> Iterator[tuple[int, int]]:
    """Pairs where either side lists the other: a manager and their report, say."""
    for i, senior in enumerate(seniors):
        yield from ((i, junior_at[k]) for k in senior.avoid if k in junior_at)
    for j, junior in enumerate(juniors):
        yield from ((senior_at[k], j) for k in junior.avoid if k in senior_at)


def _met_before(
    rules: MatchRules, senior_at: dict[str, int], junior_at: dict[str, int]
) -> Iterator[tuple[int, int]]:
    """Past pairs in either orientation; pairs naming people absent from this round are moot."""
    for pair in rules.past_pairs:
        if len(pair) != 2:
            continue
        a, b = sorted(pair)
        for s, j in ((a, b), (b, a)):
            if s in senior_at and j in junior_at:
                yield senior_at[s], junior_at[j]


def _mask(rows: int, cols: int, cells: Iterable[tuple[int, int]]) -> np.ndarray:
    """A bool matrix that is True exactly at the listed cells."""
    mask = np.zeros((rows, cols), dtype=bool)
    index = np.array(list(cells), dtype=np.intp).reshape(-1, 2)
    mask[index[:, 0], index[:, 1]] = True
    return mask
