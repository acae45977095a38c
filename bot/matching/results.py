"""What a matching round hands back: proposed pairs with reasons, and who stays unpaired."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProposedPair:
    """A pair to propose; `reasons` are short sentences without names or keys, best first."""

    senior: str
    junior: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """Somebody left without a partner this round, and why, so nobody is dropped silently."""

    key: str
    role: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Pairs in senior input order; unmatched seniors, then juniors, in input order."""

    pairs: tuple[ProposedPair, ...]
    unmatched: tuple[Unmatched, ...]
    total_score: float
