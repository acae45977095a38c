"""Common slots, the fairest compromise and proposals, checked against local wall-clock time."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.rhythm import Availability, common_slots, fairest_slot, propose_slots
from tests.rhythm.reference import inside, outside_minutes, weekday_for_everyone

BERLIN = Availability("Europe/Berlin")
LONDON = Availability("Europe/London")
TOKYO = Availability("Asia/Tokyo")
NEW_YORK = Availability("America/New_York")
ZONES = [
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "UTC",
]
MONDAY = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "first_utc"),
    [
        pytest.param(MONDAY, time(9), id="winter"),
        pytest.param(datetime(2026, 7, 6, tzinfo=UTC), time(8), id="summer"),
    ],
)
def test_berlin_london_share_seven_hours(day: datetime, first_utc: time) -> None:
    slots = common_slots([BERLIN, LONDON], start=day, end=day + timedelta(days=1), minutes=30)

    assert slots[0].start.time() == first_utc
    assert slots[-1].end - slots[0].start == timedelta(hours=7)
    assert len(slots) == 14
    assert all(s.fits_everyone and s.start.tzinfo == UTC for s in slots)


def test_slots_are_on_the_utc_half_hour_grid() -> None:
    kathmandu = Availability("Asia/Kathmandu")  # UTC+5:45, windows start at :15 UTC
    slots = common_slots(
        [kathmandu, LONDON], start=MONDAY, end=MONDAY + timedelta(days=5), minutes=45
    )

    assert slots
    assert all(s.start.minute in (0, 30) and s.start.second == 0 for s in slots)
    assert all(inside(p, s.start, 45) for s in slots for p in (kathmandu, LONDON))


def test_tokyo_new_york_have_no_common_slot() -> None:
    assert (
        common_slots([TOKYO, NEW_YORK], start=MONDAY, end=MONDAY + timedelta(days=14), minutes=30)
        == []
    )


@pytest.mark.parametrize("minutes", [20, 30, 45])
def test_fairest_slot_minimises_the_worst_outside_minutes(minutes: int) -> None:
    people = [TOKYO, NEW_YORK]
    start, end = MONDAY, MONDAY + timedelta(days=7)

    slot = fairest_slot(people, start=start, end=end, minutes=minutes)

    grid = [start + timedelta(minutes=30 * k) for k in range(7 * 48)]
    costs = [
        max(outside_minutes(p, s, minutes) for p in people)
        for s in grid
        if weekday_for_everyone(people, s, minutes)
    ]
    assert not slot.fits_everyone
    assert weekday_for_everyone(people, slot.start, minutes)
    assert max(outside_minutes(p, slot.start, minutes) for p in people) == min(costs)


def test_fairest_slot_stays_close_to_both_days() -> None:
    """Equal outside minutes must not land on midnight for one of them."""
    slot = fairest_slot([TOKYO, NEW_YORK], start=MONDAY, end=MONDAY + timedelta(days=7), minutes=30)

    new_york = slot.start.astimezone(NEW_YORK.zone)
    tokyo = slot.start.astimezone(TOKYO.zone)
    assert time(16) <= new_york.time() <= time(19)
    assert time(6) <= tokyo.time() <= time(9)


def test_fairest_slot_is_a_common_slot_when_one_exists() -> None:
    slot = fairest_slot([BERLIN, LONDON], start=MONDAY, end=MONDAY + timedelta(days=2), minutes=30)

    assert slot.fits_everyone
    assert slot.start == datetime(2026, 1, 5, 9, tzinfo=UTC)


def test_weekends_are_local() -> None:
    """A Friday evening in New York is already Saturday morning in Tokyo."""
    tokyo = Availability("Asia/Tokyo", time(6), time(23, 30))
    new_york = Availability("America/New_York", time(12), time(20))
    people = [tokyo, new_york]

    slots = common_slots(people, start=MONDAY, end=MONDAY + timedelta(days=7), minutes=30)

    new_york_days = {s.start.astimezone(new_york.zone).strftime("%a") for s in slots}
    tokyo_days = {s.start.astimezone(tokyo.zone).strftime("%a") for s in slots}
    assert new_york_days == {"Mon", "Tue", "Wed", "Thu"}
    assert tokyo_days == {"Tue", "Wed", "Thu", "Fri"}
    friday_evening = datetime(2026, 1, 9, 23, tzinfo=UTC)  # NY Fri 18:00, Tokyo Sat 08:00
    fair = fairest_slot(
        people, start=friday_evening, end=friday_evening + timedelta(days=4), minutes=30
    )
    assert weekday_for_everyone(people, fair.start, 30)
    assert fair.start > datetime(2026, 1, 11, 15, tzinfo=UTC)  # after Tokyo's weekend


def test_random_pairs_every_slot_inside_both_windows() -> None:
    rng = random.Random(20260308)
    for _ in range(60):
        people = [
            Availability(rng.choice(ZONES), time(rng.randint(6, 10)), time(rng.randint(15, 20)))
            for _ in range(2)
        ]
        after = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        minutes = rng.choice([20, 30, 45])

        for slot in propose_slots(people, after=after, minutes=minutes):
            assert after <= slot.start < after + timedelta(days=10)
            assert weekday_for_everyone(people, slot.start, minutes)
            if slot.fits_everyone:
                assert all(inside(p, slot.start, minutes) for p in people)
        for slot in common_slots(
            people, start=after, end=after + timedelta(days=3), minutes=minutes
        ):
            assert all(inside(p, slot.start, minutes) for p in people)


def test_proposals_spread_over_days_and_avoid_window_edges() -> None:
    slots = propose_slots([BERLIN, LONDON], after=MONDAY + timedelta(hours=7), minutes=30)

    assert len(slots) == 3
    assert len({s.start.date() for s in slots}) == 3
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    assert slots[0].start.date() == MONDAY.date()  # earliest days first
    assert all(time(11) <= s.start.time() <= time(14) for s in slots)  # mid-window, not 9:00
    assert all(s.fits_everyone for s in slots)


def test_proposals_fill_the_same_day_when_only_one_day_is_left() -> None:
    friday = datetime(2026, 1, 9, 9, tzinfo=UTC)
    slots = propose_slots([BERLIN, LONDON], after=friday, minutes=30, horizon_days=1)

    assert len(slots) == 3
    assert all(s.start.date() == friday.date() for s in slots)
    for first, second in itertools.pairwise(slots):
        assert first.end <= second.start


def test_proposals_fall_back_to_fair_compromises_on_different_days() -> None:
    slots = propose_slots([TOKYO, NEW_YORK], after=MONDAY, minutes=30)

    assert len(slots) == 3
    assert not any(s.fits_everyone for s in slots)
    assert len({s.start.astimezone(NEW_YORK.zone).date() for s in slots}) == 3
    assert len({s.start.astimezone(TOKYO.zone).date() for s in slots}) == 3


def test_refuses_naive_times_and_bad_windows() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        common_slots([BERLIN], start=datetime(2026, 1, 5), end=datetime(2026, 1, 6), minutes=30)
    with pytest.raises(ValueError, match="before"):
        Availability("Europe/Berlin", time(17), time(9))
    with pytest.raises(ValueError, match="timezone"):
        Availability("Mars/Olympus_Mons")
