"""Test data: one readable person at a time, or seeded random rounds with constraints."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from bot.matching import Candidate, MatchRules, Weights

TOPICS = ["ai tools", "strategy", "tiktok", "sql", "negotiation", "figma"]
DEPARTMENTS = ["Sales", "IT", "HR"]
OFFSETS = [-480, -300, 0, 60, 330, 540, 780]
WINDOWS = [(540, 1020), (480, 960), (600, 1080), (1320, 360), (0, 1440)]


def person(
    key: str,
    role: Literal["senior", "junior"],
    *,
    department: str = "Sales",
    can_share: Iterable[str] = (),
    wants_to_learn: Iterable[str] = (),
    languages: Iterable[str] = ("en",),
    utc_offset_minutes: int = 0,
    hours: tuple[int, int] = (9, 17),
    avoid: Iterable[str] = (),
) -> Candidate:
    """A Candidate with readable defaults; `hours` are local whole hours (start, end)."""
    return Candidate(
        key=key,
        role=role,
        department=department,
        can_share=frozenset(can_share),
        wants_to_learn=frozenset(wants_to_learn),
        languages=frozenset(languages),
        utc_offset_minutes=utc_offset_minutes,
        work_start_minute=hours[0] * 60,
        work_end_minute=hours[1] * 60 % 1441,
        avoid=frozenset(avoid),
    )


def random_people(
    rng: random.Random, n: int, role: Literal["senior", "junior"], prefix: str
) -> list[Candidate]:
    """People with random topics, departments, timezones, windows and languages."""
    people = []
    for k in range(n):
        start, end = rng.choice(WINDOWS)
        people.append(
            Candidate(
                key=f"{prefix}{k}X{rng.randrange(10**6):06d}",
                role=role,
                department=rng.choice(DEPARTMENTS),
                can_share=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
                wants_to_learn=frozenset(rng.sample(TOPICS, rng.randint(0, 3))),
                languages=frozenset(rng.sample(["en", "de", "ja"], rng.randint(1, 2))),
                utc_offset_minutes=rng.choice(OFFSETS) + rng.choice([0, 0, 15, 45]),
                work_start_minute=start,
                work_end_minute=end,
            )
        )
    return people


def random_round(
    rng: random.Random, n_seniors: int, n_juniors: int, *, constrained: bool = True
) -> tuple[list[Candidate], list[Candidate], MatchRules]:
    """A random round; with `constrained`, random avoid lists, past pairs and rules too."""
    seniors = random_people(rng, n_seniors, "senior", "US")
    juniors = random_people(rng, n_juniors, "junior", "UJ")
    weights = Weights(
        junior_shares=rng.uniform(0, 4),
        senior_shares=rng.uniform(0, 3),
        overlap_per_hour=rng.uniform(0, 1),
        overlap_cap_minutes=rng.choice([60, 240, 1440]),
        shared_language=rng.uniform(0, 2),
        different_department=rng.uniform(0, 1),
    )
    if not constrained:
        return seniors, juniors, MatchRules(allow_same_department=True, weights=weights)
    keys = [p.key for p in juniors]
    for index, senior in enumerate(seniors):
        if keys and rng.random() < 0.2:
            seniors[index] = _with_avoid(senior, rng.choice(keys))
    keys = [p.key for p in seniors]
    for index, junior in enumerate(juniors):
        if keys and rng.random() < 0.2:
            juniors[index] = _with_avoid(junior, rng.choice(keys))
    past = frozenset(
        frozenset({s.key, j.key}) for s in seniors for j in juniors if rng.random() < 0.1
    )
    rules = MatchRules(
        allow_same_department=rng.random() < 0.3,
        past_pairs=past,
        min_overlap_minutes=rng.choice([0, 0, 60, 300]),
        weights=weights,
    )
    return seniors, juniors, rules


def _with_avoid(candidate: Candidate, key: str) -> Candidate:
    """The same person, also avoiding `key`."""
    return replace(candidate, avoid=candidate.avoid | {key})
