"""The one place twoway reads the time: every "now" and "today" comes from a `Clock`.

The runtime carries one. Production uses the system clock; tests, `twoway tick --now`
and the playground set a clock of their own, so a button pressed in simulated time
sees the same instant the scheduler used to send its message.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock:
    """A clock that stands still until told otherwise (tests, simulations, the playground)."""

    def __init__(self, instant: datetime) -> None:
        self._lock = threading.Lock()
        self._instant = _aware(instant)

    def now(self) -> datetime:
        with self._lock:
            return self._instant

    def set(self, instant: datetime) -> None:
        with self._lock:
            self._instant = _aware(instant)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._instant += delta
            return self._instant


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("a clock needs a timezone-aware instant")
    return instant.astimezone(UTC)


def zone(timezone: str | None) -> ZoneInfo:
    """The person's zone; UTC when Slack gave none or one we do not know."""
    try:
        return ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(instant: datetime, timezone: str | None) -> date:
    """The calendar date a person in `timezone` sees at `instant`."""
    return instant.astimezone(zone(timezone)).date()


def today_for(clock: Clock, timezone: str | None) -> date:
    """A person's "today": their local date on the runtime's clock."""
    return local_date(clock.now(), timezone)
