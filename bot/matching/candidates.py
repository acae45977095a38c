"""What the caller hands in: the people to pair and the rules for one matching round."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Literal

Role = Literal["senior", "junior"]
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Weights:
    """Soft-criteria weights; a pair's score is the weighted sum, so all must be >= 0.

    The junior's sharing weighs more than the senior's because the program is reverse
    mentoring: the junior teaching the senior is the point of it.
    """

    junior_shares: float = 3.0  # per topic the junior can share and the senior wants to learn
    senior_shares: float = 2.0  # per topic the senior can share and the junior wants to learn
    overlap_per_hour: float = 0.5  # per hour of shared working time, up to overlap_cap_minutes
    overlap_cap_minutes: int = 240  # beyond this, more overlap no longer helps to find a slot
    shared_language: float = 2.0  # once if they speak at least one language in common
    different_department: float = 1.0  # bonus for pairs that cross department lines

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Weights.{f.name} must be a finite number >= 0, got {value!r}")


@dataclass(frozen=True)
class Candidate:
    """One person in the round; labels are compared lower-cased and stripped."""

    key: str  # Slack user id; unique within its side of one request
    role: Role
    department: str
    can_share: frozenset[str]
    wants_to_learn: frozenset[str]
    languages: frozenset[str] = frozenset({"en"})
    utc_offset_minutes: int = 0  # current UTC offset; the caller derives it from the tz name
    work_start_minute: int = 9 * 60  # local working window, minutes after local midnight;
    work_end_minute: int = 17 * 60  # end < start means the window wraps past midnight
    avoid: frozenset[str] = field(default_factory=frozenset)  # keys never to pair with

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("Candidate.key must not be empty")
        if self.role not in ("senior", "junior"):
            raise ValueError(f"Candidate.role must be 'senior' or 'junior', got {self.role!r}")
        if not 0 <= self.work_start_minute < MINUTES_PER_DAY:
            raise ValueError(
                f"work_start_minute must be in [0, 1440), got {self.work_start_minute}"
            )
        if not 0 <= self.work_end_minute <= MINUTES_PER_DAY:
            raise ValueError(f"work_end_minute must be in [0, 1440], got {self.work_end_minute}")
        if self.work_start_minute == self.work_end_minute:
            raise ValueError("work_start_minute and work_end_minute must differ")
        if abs(self.utc_offset_minutes) > 14 * 60:
            raise ValueError(f"utc_offset_minutes out of range: {self.utc_offset_minutes}")


@dataclass(frozen=True)
class MatchRules:
    """Hard constraints (past pairs, same department, minimum overlap) and soft weights."""

    allow_same_department: bool = False
    past_pairs: frozenset[frozenset[str]] = frozenset()  # {frozenset({senior, junior}), ...}
    min_overlap_minutes: int = 0  # shared working time a pair needs; 0 = no requirement
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        if self.min_overlap_minutes < 0:
            raise ValueError("min_overlap_minutes must be >= 0")


def normalise(label: str) -> str:
    """Compare labels the way people mean them: 'AI Tools ' is 'ai tools'."""
    return label.strip().lower()


def check_sides(seniors: Sequence[Candidate], juniors: Sequence[Candidate]) -> None:
    """Refuse caller mistakes that would otherwise give silently wrong pairs."""
    for side, people in (("senior", seniors), ("junior", juniors)):
        seen: set[str] = set()
        for person in people:
            if person.role != side:
                raise ValueError(f"{person.key!r} has role {person.role!r} but is in the {side}s")
            if person.key in seen:
                raise ValueError(f"duplicate {side} key {person.key!r}")
            seen.add(person.key)
