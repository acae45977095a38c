"""Times that suit both people: shared working windows, or the fairest compromise without one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.rhythm.people import Availability, is_local_weekday, local_date, work_windows
from bot.rhythm.spans import clip, covered, distance, grid_ceil, intersect, require_aware

__all__ = [
    "Availability",
    "Slot",
    "common_slots",
    "fairest_slot",
    "nudge_time",
    "propose_slots",
]

TICK = timedelta(microseconds=1)
NUDGE_SEARCH = timedelta(days=7)  # every period is at least a week, so a nudge stays inside it
NUDGE_DELAY = timedelta(minutes=30)  # not the first minute of the day: let people settle in


@dataclass(frozen=True)
class Slot:
    """A meeting time in UTC; `fits_everyone` is False for a compromise outside someone's hours."""

    start: datetime
    minutes: int
    fits_everyone: bool

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def common_slots(
    people: Sequence[Availability],
    *,
    start: datetime,
    end: datetime,
    minutes: int,
    step_minutes: int = 30,
) -> list[Slot]:
    """Every grid start in [start, end) whose whole slot lies in everyone's weekday window."""
    return [
        slot
        for group in _common_groups(people, start, end, minutes, step_minutes)
        for slot in group
    ]


def fairest_slot(
    people: Sequence[Availability],
    *,
    start: datetime,
    end: datetime,
    minutes: int,
    step_minutes: int = 30,
) -> Slot:
    """The weekday slot whose worst-off person spends the fewest minutes outside their window.

    Minimising the maximum (not the sum) keeps one person from carrying the whole burden.
    Ties go to the slot closest to everyone's hours (without this, midnight for one person
    ties with early evening, as both are "30 minutes outside"), then to the earliest.
    Raises ValueError when no slot in range is a weekday for everyone.
    """
    candidates = _fair_candidates(people, start, end, minutes, step_minutes)
    if not candidates:
        raise ValueError("no slot in range falls on a weekday for everyone")
    return min(candidates)[1]


def propose_slots(
    people: Sequence[Availability],
    *,
    after: datetime,
    minutes: int,
    count: int = 3,
    horizon_days: int = 10,
) -> list[Slot]:
    """Up to `count` choices, on different days where possible, sorted by time.

    Common slots come from the middle of each day's shared window (a 9:00 slot is the one
    people decline) and the earliest days first; with no shared window at all, the fairest
    compromises come instead, best first.
    """
    end = after + timedelta(days=horizon_days)
    groups = _common_groups(people, after, end, minutes, 30)
    if any(groups):
        middle_first = (
            ((g, abs(2 * i - (len(group) - 1)), i), slot)
            for g, group in enumerate(groups)
            for i, slot in enumerate(group)
        )
        ranked = [slot for _, slot in sorted(middle_first, key=lambda pair: pair[0])]
    else:
        ranked = [slot for _, slot in sorted(_fair_candidates(people, after, end, minutes, 30))]
    return _spread(people, ranked, count)


def nudge_time(people: Sequence[Availability], *, period_start: date, minutes: int) -> Slot:
    """When to nudge a pair for a period: early in it, at a moment everyone is at work.

    The first shared window from midnight UTC of `period_start` (so always a local weekday
    for everyone), 30 minutes in when it is long enough, else its start. Without any shared
    window, the fairest session slot of the week (`fits_everyone` False).
    """
    _check(people, minutes, 30)
    start = datetime.combine(period_start, time(0), tzinfo=UTC)
    end = start + NUDGE_SEARCH
    shared = clip(intersect([work_windows(p, start=start, end=end) for p in people]), start, end)
    if not shared:
        return fairest_slot(people, start=start, end=end, minutes=minutes)
    lo, hi = shared[0]
    moment = lo + NUDGE_DELAY if hi - lo >= 2 * NUDGE_DELAY else lo
    return Slot(start=moment, minutes=minutes, fits_everyone=True)


def _common_groups(
    people: Sequence[Availability], start: datetime, end: datetime, minutes: int, step_minutes: int
) -> list[list[Slot]]:
    """Common slots grouped by shared window (one local working day per group), in order."""
    _check(people, minutes, step_minutes)
    require_aware(start=start, end=end)
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    reach = end + length  # a slot may start just before `end` and run past it
    shared = intersect([work_windows(p, start=start, end=reach) for p in people])
    groups: list[list[Slot]] = []
    for lo, hi in shared:
        group: list[Slot] = []
        moment = grid_ceil(max(lo, start), step)
        while moment < end and moment + length <= hi:
            group.append(Slot(start=moment, minutes=minutes, fits_everyone=True))
            moment += step
        if group:
            groups.append(group)
    return groups


def _fair_candidates(
    people: Sequence[Availability], start: datetime, end: datetime, minutes: int, step_minutes: int
) -> list[tuple[tuple[timedelta, timedelta, datetime], Slot]]:
    """Every grid slot that is a weekday for everyone, keyed by (worst time outside hours,
    worst distance from hours, start): the smallest key is the fairest slot."""
    _check(people, minutes, step_minutes)
    require_aware(start=start, end=end)
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    windows = [work_windows(p, start=start, end=end + length) for p in people]
    found: list[tuple[tuple[timedelta, timedelta, datetime], Slot]] = []
    moment = grid_ceil(start, step)
    while moment < end:
        finish = moment + length
        if all(is_local_weekday(p, moment) and is_local_weekday(p, finish - TICK) for p in people):
            outside = max(length - covered(w, moment, finish) for w in windows)
            far = max(distance(w, moment, finish) for w in windows)
            slot = Slot(start=moment, minutes=minutes, fits_everyone=outside == timedelta())
            found.append(((outside, far, moment), slot))
        moment += step
    return found


def _spread(people: Sequence[Availability], ranked: Sequence[Slot], count: int) -> list[Slot]:
    """Best first, but a new local day for everyone before a second slot on any day."""
    chosen: list[Slot] = []
    used: list[set[date]] = [set() for _ in people]
    for slot in ranked:
        if len(chosen) == count:
            break
        days = [local_date(p, slot.start) for p in people]
        if all(day not in seen for day, seen in zip(days, used, strict=True)):
            chosen.append(slot)
            for day, seen in zip(days, used, strict=True):
                seen.add(day)
    for slot in ranked:
        if len(chosen) == count:
            break
        if all(slot.end <= other.start or other.end <= slot.start for other in chosen):
            chosen.append(slot)
    return sorted(chosen, key=lambda slot: slot.start)


def _check(people: Sequence[Availability], minutes: int, step_minutes: int) -> None:
    if not people:
        raise ValueError("at least one person is needed")
    if minutes <= 0 or step_minutes <= 0:
        raise ValueError("minutes and step_minutes must be positive")
