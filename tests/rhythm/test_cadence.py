"""Cadence periods: contiguous, non-overlapping, stable keys, month ends clamped."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from bot.rhythm import period_of, periods_between
from models.enums import Cadence

ANCHORS = [
    date(2026, 1, 31),
    date(2024, 2, 29),
    date(2026, 3, 8),
    date(2026, 8, 31),
    date(2025, 12, 15),
]


@pytest.mark.parametrize("cadence", list(Cadence))
@pytest.mark.parametrize("anchor", ANCHORS, ids=str)
def test_periods_tile_the_calendar(cadence: Cadence, anchor: date) -> None:
    end = anchor + timedelta(days=800)
    periods = periods_between(cadence, anchor=anchor, start=anchor, end=end)

    assert periods[0].starts_on == anchor
    assert [p.index for p in periods] == list(range(len(periods)))
    for before, after in itertools.pairwise(periods):
        assert before.ends_on == after.starts_on
        assert before.starts_on < before.ends_on
    assert sorted(p.key for p in periods) == [p.key for p in periods]
    assert len({p.key for p in periods}) == len(periods)
    assert periods[-1].ends_on >= end > periods[-1].starts_on
    day = anchor
    while day < end:
        found = period_of(cadence, anchor=anchor, on=day)
        assert found == periods[found.index]
        assert found.starts_on <= day < found.ends_on
        day += timedelta(days=1)


@pytest.mark.parametrize(("cadence", "days"), [(Cadence.WEEKLY, 7), (Cadence.BIWEEKLY, 14)])
def test_weekly_and_biweekly_are_fixed_blocks(cadence: Cadence, days: int) -> None:
    anchor = date(2026, 3, 4)

    period = period_of(cadence, anchor=anchor, on=date(2026, 5, 1))

    assert (period.ends_on - period.starts_on).days == days
    assert (period.starts_on - anchor).days == period.index * days
    assert period.key == f"p{period.index:04d}"


def test_monthly_from_january_31_clamps_and_returns() -> None:
    periods = periods_between(
        Cadence.MONTHLY, anchor=date(2026, 1, 31), start=date(2026, 1, 31), end=date(2026, 6, 1)
    )

    assert [p.starts_on for p in periods] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),  # steps count from the anchor, so the 31st comes back
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert periods[-1].ends_on == date(2026, 6, 30)
    assert period_of(Cadence.MONTHLY, anchor=date(2026, 1, 31), on=date(2026, 3, 30)).key == "p0001"


def test_monthly_leap_day_anchor() -> None:
    anchor = date(2024, 2, 29)

    assert period_of(Cadence.MONTHLY, anchor=anchor, on=date(2025, 2, 28)).starts_on == date(
        2025, 2, 28
    )
    assert period_of(Cadence.MONTHLY, anchor=anchor, on=date(2028, 2, 29)).starts_on == date(
        2028, 2, 29
    )
    assert period_of(Cadence.MONTHLY, anchor=anchor, on=date(2024, 3, 28)).key == "p0000"


def test_keys_are_stable_whichever_day_asks() -> None:
    anchor = date(2026, 1, 5)
    keys = {
        period_of("biweekly", anchor=anchor, on=date(2026, 2, 2) + timedelta(days=d)).key
        for d in range(14)
    }

    assert keys == {"p0002"}


def test_periods_between_clips_to_anchor_and_window() -> None:
    anchor = date(2026, 3, 2)

    assert periods_between(Cadence.WEEKLY, anchor=anchor, start=date(2026, 1, 1), end=anchor) == []
    found = periods_between(
        Cadence.WEEKLY, anchor=anchor, start=date(2026, 3, 10), end=date(2026, 3, 17)
    )
    assert [p.key for p in found] == ["p0001", "p0002"]


def test_refuses_days_before_anchor_and_datetimes() -> None:
    with pytest.raises(ValueError, match="before"):
        period_of(Cadence.WEEKLY, anchor=date(2026, 3, 2), on=date(2026, 3, 1))
    with pytest.raises(TypeError):
        period_of(Cadence.WEEKLY, anchor=date(2026, 3, 2), on=datetime(2026, 3, 3))
