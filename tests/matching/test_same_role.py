"""Same-role pairs for leftovers: the most pairs, then the best scores, under every hard rule."""

from __future__ import annotations

import random

from bot.matching import MatchRules, match_within, score_matrix
from tests.matching.factories import person

TOPICS = ["ai tools", "strategy", "sql", "negotiation", "design tools"]


def _juniors(count: int, seed: int) -> list:
    rng = random.Random(seed)
    return [
        person(
            f"J{i}",
            "junior",
            department=rng.choice(["Sales", "IT", "HR"]),
            can_share=rng.sample(TOPICS, 2),
            wants_to_learn=rng.sample(TOPICS, 2),
            avoid=[f"J{rng.randrange(count)}"] if rng.random() < 0.2 else [],
        )
        for i in range(count)
    ]


def _weight(people: list, a: int, b: int, rules: MatchRules) -> float | None:
    from dataclasses import replace

    left = [replace(p, role="senior") for p in people]
    scores, feasible = score_matrix(left, people, rules)
    if not (feasible[a, b] and feasible[b, a]):
        return None
    return float(max(scores[a, b], scores[b, a]))


def _best(people: list, rules: MatchRules) -> tuple[int, float]:
    """Brute force: (most pairs, best total) over every matching of the group."""
    best = (0, 0.0)
    n = len(people)

    def walk(left: list[int], count: int, total: float) -> None:
        nonlocal best
        best = max(best, (count, round(total, 6)))
        if len(left) < 2:
            return
        first, rest = left[0], left[1:]
        walk(rest, count, total)  # first stays unpaired
        for other in rest:
            weight = _weight(people, first, other, rules)
            if weight is not None:
                walk([x for x in rest if x != other], count + 1, total + weight)

    walk(list(range(n)), 0, 0.0)
    return best


def test_pairs_are_optimal_against_brute_force() -> None:
    rules = MatchRules()
    for seed in range(40):
        people = _juniors(random.Random(seed).randint(2, 7), seed)
        pairs, leftover = match_within(people, rules)
        assert len(pairs) * 2 + len(leftover) == len(people)
        assert (len(pairs), round(sum(p.score for p in pairs), 6)) == _best(people, rules), seed


def test_hard_rules_hold_for_same_role_pairs() -> None:
    people = [
        person("A", "junior", department="IT", avoid=["B"]),
        person("B", "junior", department="Sales"),
        person("C", "junior", department="IT"),
    ]
    pairs, leftover = match_within(
        people, MatchRules(past_pairs=frozenset({frozenset({"B", "C"})}))
    )
    assert pairs == []  # A–B avoided, A–C same department, B–C met before
    assert sorted(leftover) == ["A", "B", "C"]


def test_deterministic_and_keys_are_people_of_the_group() -> None:
    people = _juniors(6, 3)
    first = match_within(people, MatchRules())
    assert first == match_within(people, MatchRules())
    keys = {p.key for p in people}
    assert all({pair.senior, pair.junior} <= keys for pair in first[0])
