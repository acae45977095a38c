"""Simulated time for the scheduler: tick as a per-minute heartbeat would, skipping the
minutes in which nothing can happen.

Between `start` and `end` a tick runs every `every` (planners notice new periods and
deadlines) and at each instant a planned message falls due (so it is sent on time, as
the real heartbeat would send it within its minute).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.scheduler.tick import next_due, run_tick


def simulate(runtime: Runtime, start: datetime, end: datetime, *, every: timedelta) -> int:
    """Run the scheduler from `start` to `end` inclusive; returns the number of ticks."""
    ticks = 0
    now = start
    while now <= end:
        run_tick(runtime, now)
        ticks += 1
        regular = now + every
        due = next_due(runtime, now)
        now = due if due is not None and due < regular else regular
    return ticks
