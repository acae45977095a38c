"""A person's working window, and where it falls in UTC on each of their local weekdays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Span = tuple[datetime, datetime]  # [start, end) in UTC


@dataclass(frozen=True)
class Availability:
    """Local working hours, Monday to Friday, in the person's IANA timezone."""

    timezone: str
    work_start: time = time(9)
    work_end: time = time(17)

    def __post_init__(self) -> None:
        if self.work_start.tzinfo is not None or self.work_end.tzinfo is not None:
            raise ValueError("work_start and work_end are local wall-clock times, without tzinfo")
        if not self.work_start < self.work_end:
            raise ValueError(
                f"work_start {self.work_start} must be before work_end {self.work_end}"
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA timezone {self.timezone!r}") from error

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # cached by zoneinfo, so cheap to call often


def work_windows(person: Availability, *, start: datetime, end: datetime) -> list[Span]:
    """UTC spans of the person's weekday windows that overlap [start, end), unclipped, in order.

    Each local date is converted on its own with zoneinfo, so a window on a DST-change day
    gets that day's offset; a fixed offset would be an hour off for part of the year.
    """
    zone = person.zone
    spans: list[Span] = []
    for day in _local_days(zone, start, end):
        if day.weekday() >= 5:
            continue
        lo = _to_utc(day, person.work_start, zone)
        hi = _to_utc(day, person.work_end, zone)
        if lo < end and hi > start:
            spans.append((lo, hi))
    return spans


def is_local_weekday(person: Availability, moment: datetime) -> bool:
    return moment.astimezone(person.zone).weekday() < 5


def local_date(person: Availability, moment: datetime) -> date:
    return moment.astimezone(person.zone).date()


def _local_days(zone: ZoneInfo, start: datetime, end: datetime) -> list[date]:
    """Every local date that can hold part of [start, end), with a day's margin either side."""
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time inside a DST gap maps past the gap (zoneinfo's fold=0 rule)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
