"""Nudge times across the 2026 DST changes (US: Mar 8, Nov 1; EU: Mar 29, Oct 25)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.rhythm import Availability, common_slots, nudge_time, period_of, periods_between
from models.enums import Cadence
from tests.rhythm.reference import at_work, inside

DST_CHANGES = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1)]
AROUND_CHANGES = sorted(
    {change + timedelta(days=d) for change in DST_CHANGES for d in range(-8, 9)}
)
BERLIN_NEW_YORK = [
    pytest.param([Availability("Europe/Berlin"), Availability("America/New_York")], id="9-17-both"),
    pytest.param(  # 30 minutes of overlap in winter and EU summer: a fixed offset misses it
        [
            Availability("Europe/Berlin", time(9), time(15)),
            Availability("America/New_York", time(8, 30), time(10)),
        ],
        id="tight",
    ),
    pytest.param(
        [
            Availability("America/New_York", time(7), time(12)),
            Availability("Europe/Berlin", time(13), time(19)),
        ],
        id="new-york-early",
    ),
]


@pytest.mark.parametrize("people", BERLIN_NEW_YORK)
@pytest.mark.parametrize("minutes", [20, 45])
def test_nudges_fall_inside_both_windows_around_dst(
    people: list[Availability], minutes: int
) -> None:
    for day in AROUND_CHANGES:
        slot = nudge_time(people, period_start=day, minutes=minutes)

        assert slot.fits_everyone, day
        assert slot.start.tzinfo == UTC
        assert all(at_work(p, slot.start) for p in people), (day, slot)
        assert datetime.combine(day, time(0), tzinfo=UTC) <= slot.start
        assert slot.start - datetime.combine(day, time(0), tzinfo=UTC) < timedelta(days=7)


@pytest.mark.parametrize("people", BERLIN_NEW_YORK)
def test_common_slots_on_dst_change_days_are_inside(people: list[Availability]) -> None:
    for change in DST_CHANGES:
        start = datetime.combine(change - timedelta(days=2), time(0), tzinfo=UTC)
        slots = common_slots(people, start=start, end=start + timedelta(days=5), minutes=30)

        assert slots
        assert all(inside(p, s.start, 30) for s in slots for p in people)


def test_nudge_is_half_an_hour_into_a_long_overlap() -> None:
    people = [Availability("Europe/Berlin"), Availability("America/New_York")]

    winter = nudge_time(people, period_start=date(2026, 1, 5), minutes=30)
    us_summer_eu_winter = nudge_time(people, period_start=date(2026, 3, 9), minutes=30)

    assert winter.start == datetime(2026, 1, 5, 14, 30, tzinfo=UTC)  # NY 9:00 EST + 30 min
    assert us_summer_eu_winter.start == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)  # NY 9:00 EDT


def test_nudge_skips_to_the_first_weekday_for_everyone() -> None:
    people = [Availability("Europe/Berlin"), Availability("America/New_York")]

    slot = nudge_time(people, period_start=date(2026, 3, 7), minutes=30)  # a Saturday

    assert slot.start.date() == date(2026, 3, 9)


def test_nudge_without_overlap_is_the_fairest_slot() -> None:
    people = [Availability("Asia/Tokyo"), Availability("America/New_York")]

    slot = nudge_time(people, period_start=date(2026, 3, 2), minutes=30)

    assert not slot.fits_everyone
    assert slot.start.date() <= date(2026, 3, 3)


@pytest.mark.parametrize("cadence", list(Cadence))
@pytest.mark.parametrize(
    "anchor", [date(2026, 2, 27), date(2026, 3, 7), date(2026, 10, 3)], ids=str
)
@pytest.mark.parametrize(
    "zones", [("Europe/Berlin", "America/New_York"), ("Asia/Tokyo", "America/New_York")]
)
def test_period_nudges_never_repeat_or_skip_a_period(
    cadence: Cadence, anchor: date, zones: tuple[str, str]
) -> None:
    people = [Availability(zone) for zone in zones]
    periods = periods_between(cadence, anchor=anchor, start=anchor, end=anchor + timedelta(days=92))

    nudges = [nudge_time(people, period_start=p.starts_on, minutes=30) for p in periods]

    owners = [period_of(cadence, anchor=anchor, on=n.start.date()) for n in nudges]
    assert owners == periods
    assert [n.start for n in nudges] == sorted({n.start for n in nudges})
