"""Shared working time across timezones, midnight wraps and the date line."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.matching import pair_overlap_minutes
from bot.matching.hours import overlap_minutes
from tests.matching.factories import person, random_people
from tests.matching.reference import overlap


@pytest.mark.parametrize(
    ("senior_offset", "senior_hours", "junior_offset", "junior_hours", "expected"),
    [
        pytest.param(540, (9, 17), -300, (9, 17), 0, id="tokyo-new-york"),
        pytest.param(60, (9, 17), 0, (9, 17), 7 * 60, id="berlin-london"),
        pytest.param(120, (9, 17), 60, (9, 17), 7 * 60, id="berlin-london-summer"),
        pytest.param(0, (22, 6), 0, (5, 13), 60, id="night-shift-wraps-midnight"),
        pytest.param(0, (22, 6), 0, (9, 17), 0, id="night-shift-vs-day"),
        pytest.param(780, (9, 17), -480, (9, 17), 5 * 60, id="auckland-los-angeles-next-day"),
        pytest.param(330, (9, 17), 0, (9, 17), 150, id="india-half-hour-offset"),
        pytest.param(0, (0, 24), 540, (9, 17), 8 * 60, id="all-day"),
    ],
)
def test_known_timezone_pairs(
    senior_offset: int,
    senior_hours: tuple[int, int],
    junior_offset: int,
    junior_hours: tuple[int, int],
    expected: int,
) -> None:
    senior = person("S", "senior", utc_offset_minutes=senior_offset, hours=senior_hours)
    junior = person("J", "junior", utc_offset_minutes=junior_offset, hours=junior_hours)

    assert pair_overlap_minutes(senior, junior) == expected
    assert overlap(senior, junior) == expected


def test_grid_matches_minute_by_minute_reference() -> None:
    rng = random.Random(7)
    seniors = random_people(rng, 40, "senior", "S")
    juniors = random_people(rng, 35, "junior", "J")

    grid = overlap_minutes(seniors, juniors)

    expected = np.array([[overlap(s, j) for j in juniors] for s in seniors])
    np.testing.assert_array_equal(grid, expected)
