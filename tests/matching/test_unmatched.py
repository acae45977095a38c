"""Everybody not paired is reported, with the reason that applies to them."""

from __future__ import annotations

import random

import pytest

from bot.matching import MatchRules, match
from tests.matching.factories import person, random_round


def test_uneven_sides_leave_the_weakest_fit_unmatched() -> None:
    seniors = [person("S1", "senior", department="IT", wants_to_learn={"sql"}),
               person("S2", "senior", department="IT", wants_to_learn={"figma"})]  # fmt: skip
    juniors = [person("J1", "junior", can_share={"sql"}), person("J2", "junior"),
               person("J3", "junior", can_share={"figma"})]  # fmt: skip

    result = match(seniors, juniors)

    assert {(p.senior, p.junior) for p in result.pairs} == {("S1", "J1"), ("S2", "J3")}
    (left,) = result.unmatched
    assert (left.key, left.role) == ("J2", "junior")
    assert left.reason == "no senior left (uneven sides: 2 seniors, 3 juniors)"


def test_everyone_excluded_says_which_constraints() -> None:
    seniors = [person("S1", "senior", department="IT"), person("S2", "senior", department="HR")]
    juniors = [
        person("J1", "junior", department="Sales"),
        person("J2", "junior", department="it", avoid={"S2"}),
    ]
    rules = MatchRules(past_pairs=frozenset({frozenset({"S1", "J2"})}))

    result = match(seniors, juniors, rules)

    assert len(result.pairs) == 1
    reasons = {u.key: u.reason for u in result.unmatched}
    assert reasons["J2"] == (
        "every possible senior is excluded (same department: 1, avoid list: 1, met before: 1)"
    )


def test_partner_taken_by_a_better_overall_matching() -> None:
    seniors = [person("A", "senior", department="IT"), person("B", "senior", department="IT")]
    juniors = [person("X", "junior"), person("Y", "junior", department="IT")]

    result = match(seniors, juniors)

    reasons = {u.key: u.reason for u in result.unmatched}
    assert reasons["Y"].startswith("every possible senior is excluded (same department: 2")
    (lost,) = set(reasons) - {"Y"}
    assert lost in {"A", "B"}
    assert reasons[lost] == "the only possible junior was needed for another pair"


def test_nobody_on_the_other_side() -> None:
    result = match([], [person("J1", "junior")])

    assert result.unmatched[0].reason == "no senior left (uneven sides: 0 seniors, 1 junior)"


@pytest.mark.parametrize("seed", range(30))
def test_nobody_is_dropped(seed: int) -> None:
    rng = random.Random(seed)
    seniors, juniors, rules = random_round(rng, rng.randint(0, 40), rng.randint(0, 40))

    result = match(seniors, juniors, rules)

    assert len(result.pairs) * 2 + len(result.unmatched) == len(seniors) + len(juniors)
    seen = [p.senior for p in result.pairs] + [p.junior for p in result.pairs]
    seen += [u.key for u in result.unmatched]
    assert sorted(seen) == sorted(p.key for p in seniors + juniors)
    assert all(u.reason for u in result.unmatched)
