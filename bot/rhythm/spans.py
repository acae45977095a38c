"""Arithmetic on sorted lists of disjoint UTC spans, and the UTC slot grid."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.rhythm.people import Span

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def intersect(lists: Sequence[Sequence[Span]]) -> list[Span]:
    """The spans covered by every list (each sorted and disjoint), sorted and disjoint."""
    if not lists:
        return []
    result = list(lists[0])
    for other in lists[1:]:
        merged: list[Span] = []
        i = j = 0
        while i < len(result) and j < len(other):
            lo = max(result[i][0], other[j][0])
            hi = min(result[i][1], other[j][1])
            if lo < hi:
                merged.append((lo, hi))
            if result[i][1] <= other[j][1]:
                i += 1
            else:
                j += 1
        result = merged
    return result


def clip(spans: Sequence[Span], start: datetime, end: datetime) -> list[Span]:
    clipped = [(max(lo, start), min(hi, end)) for lo, hi in spans]
    return [(lo, hi) for lo, hi in clipped if lo < hi]


def covered(spans: Sequence[Span], start: datetime, end: datetime) -> timedelta:
    """How much of [start, end) the spans cover."""
    total = timedelta()
    for lo, hi in spans:
        part = min(hi, end) - max(lo, start)
        if part > timedelta():
            total += part
    return total


def distance(spans: Sequence[Span], start: datetime, end: datetime) -> timedelta:
    """How far [start, end) is from the nearest span: zero when they touch or overlap."""
    gaps = [max(lo - end, start - hi, timedelta()) for lo, hi in spans]
    return min(gaps, default=timedelta.max)


def grid_ceil(moment: datetime, step: timedelta) -> datetime:
    """The first grid point at or after `moment`; the grid counts from midnight UTC (:00/:30)."""
    steps = -((EPOCH - moment) // step)
    return EPOCH + steps * step


def require_aware(**moments: datetime) -> None:
    for name, value in moments.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
