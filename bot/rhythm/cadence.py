"""Cadence periods counted from the pair's start date, so every period has a stable key."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.enums import Cadence

BLOCK_DAYS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14}


@dataclass(frozen=True)
class Period:
    """One rhythm period; `ends_on` is exclusive, `key` sorts like `index` (outbox unique keys)."""

    index: int
    key: str
    starts_on: date
    ends_on: date


def period_of(cadence: Cadence, *, anchor: date, on: date) -> Period:
    """The period containing `on`; periods start at `anchor`, so `on` before it is an error."""
    cadence = Cadence(cadence)
    _check_day(anchor, "anchor")
    _check_day(on, "on")
    if on < anchor:
        raise ValueError(f"{on} is before the pair's anchor {anchor}")
    if cadence in BLOCK_DAYS:
        index = (on - anchor).days // BLOCK_DAYS[cadence]
    else:
        index = (on.year - anchor.year) * 12 + on.month - anchor.month
        if _period_start(cadence, anchor, index) > on:
            index -= 1
    return _period(cadence, anchor, index)


def periods_between(cadence: Cadence, *, anchor: date, start: date, end: date) -> list[Period]:
    """Every period overlapping [start, end), in order; days before `anchor` have none."""
    cadence = Cadence(cadence)
    _check_day(start, "start")
    _check_day(end, "end")
    start = max(start, anchor)
    if end <= start:
        return []
    first = period_of(cadence, anchor=anchor, on=start)
    found = [first]
    while found[-1].ends_on < end:
        found.append(_period(cadence, anchor, found[-1].index + 1))
    return found


def _period(cadence: Cadence, anchor: date, index: int) -> Period:
    return Period(
        index=index,
        key=f"p{index:04d}",
        starts_on=_period_start(cadence, anchor, index),
        ends_on=_period_start(cadence, anchor, index + 1),
    )


def _period_start(cadence: Cadence, anchor: date, index: int) -> date:
    """Monthly steps count from the anchor itself (never chained), so Jan 31 gives Feb 28, Mar 31."""
    if cadence in BLOCK_DAYS:
        return anchor + timedelta(days=index * BLOCK_DAYS[cadence])
    years, month0 = divmod(anchor.month - 1 + index, 12)
    year = anchor.year + years
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(anchor.day, last_day))


def _check_day(value: date, name: str) -> None:
    """A datetime is a date subclass; refuse it so a UTC instant is not silently read as a day."""
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date, not a datetime")
