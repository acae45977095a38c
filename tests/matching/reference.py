"""Slow, obviously correct references: per-pair scoring and brute-force optimal matching."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import permutations

from bot.matching import Candidate, MatchRules


@cache
def utc_minutes(person: Candidate) -> frozenset[int]:
    """Every minute of the UTC day that the person is at work, listed one by one."""
    length = (person.work_end_minute - person.work_start_minute) % 1440 or 1440
    start = person.work_start_minute - person.utc_offset_minutes
    return frozenset((start + t) % 1440 for t in range(length))


def overlap(senior: Candidate, junior: Candidate) -> int:
    """Shared minutes by set intersection: independent of the module's interval arithmetic."""
    return len(utc_minutes(senior) & utc_minutes(junior))


def pair_score(senior: Candidate, junior: Candidate, rules: MatchRules) -> float:
    """The documented score formula, one pair at a time."""
    w = rules.weights
    low = str.lower
    junior_gives = {low(t) for t in junior.can_share} & {low(t) for t in senior.wants_to_learn}
    senior_gives = {low(t) for t in senior.can_share} & {low(t) for t in junior.wants_to_learn}
    same_language = bool(senior.languages & junior.languages)
    other_department = low(senior.department.strip()) != low(junior.department.strip())
    hours = min(overlap(senior, junior), w.overlap_cap_minutes) / 60
    return (
        w.junior_shares * len(junior_gives)
        + w.senior_shares * len(senior_gives)
        + w.shared_language * same_language
        + w.different_department * other_department
        + w.overlap_per_hour * hours
    )


def pair_feasible(senior: Candidate, junior: Candidate, rules: MatchRules) -> bool:
    """Every hard constraint, spelled out."""
    same_department = senior.department.strip().lower() == junior.department.strip().lower()
    return not (
        (same_department and not rules.allow_same_department)
        or junior.key in senior.avoid
        or senior.key in junior.avoid
        or frozenset({senior.key, junior.key}) in rules.past_pairs
        or overlap(senior, junior) < rules.min_overlap_minutes
        or senior.key == junior.key
    )


def best_matchings(
    seniors: Sequence[Candidate], juniors: Sequence[Candidate], rules: MatchRules
) -> tuple[int, float, set[frozenset[tuple[str, str]]]]:
    """(most pairs, best total among those, every matching reaching it within 1e-9).

    Any feasible matching is the feasible part of some full injection of the smaller side
    into the larger, so trying all permutations finds them all.
    """
    value_of = {
        (s.key, j.key): pair_score(s, j, rules)
        for s in seniors
        for j in juniors
        if pair_feasible(s, j, rules)
    }
    flip = len(seniors) > len(juniors)
    small, large = (juniors, seniors) if flip else (seniors, juniors)
    best: tuple[int, float] = (-1, 0.0)
    found: dict[frozenset[tuple[str, str]], tuple[int, float]] = {}
    for chosen in permutations(range(len(large)), len(small)):
        pairs = []
        for a, b in zip(small, (large[i] for i in chosen), strict=True):
            s, j = (b, a) if flip else (a, b)
            if (s.key, j.key) in value_of:
                pairs.append((s.key, j.key))
        value = (len(pairs), sum(value_of[p] for p in pairs))
        found[frozenset(pairs)] = value
        if value[0] > best[0] or (value[0] == best[0] and value[1] > best[1]):
            best = value
    optimal = {m for m, v in found.items() if v[0] == best[0] and abs(v[1] - best[1]) <= 1e-9}
    return best[0], best[1], optimal
