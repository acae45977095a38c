"""One scheduler pass as of a given instant: plan what became due, then send it.

Jobs are plain functions of `(runtime, now)` that features declare in the registry;
`twoway tick --now` and the APScheduler heartbeat make the same call, so tests can run
any instant. This module names no feature.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.logging import get_logger
from bot.outbox.engine import drain
from bot.runtime import Runtime
from bot.services.deliveries import next_due_at

log = get_logger("twoway.scheduler")

Job = Callable[[Runtime, datetime], int]
"""A step of a tick; returns how many things it did (planned, sent, ...)."""


@dataclass(frozen=True)
class TickReport:
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def send_deliveries(runtime: Runtime, now: datetime) -> int:
    """Send everything due, in batches, until nothing due is left for this pass."""
    return drain(runtime, now).sent


def next_due(runtime: Runtime, after: datetime) -> datetime | None:
    """The instant the next planned message falls due, for a clock that jumps ahead to it
    (the simulations in the tests, the playground's *next thing due*)."""
    with runtime.unit_of_work() as session:
        due = next_due_at(session, after=after)
    return due


def default_jobs(runtime: Runtime) -> Sequence[tuple[str, Job]]:
    """The steps of a tick, in order: each feature's planners, then sending what is due."""
    return (*runtime.features.planners(), ("deliveries", send_deliveries))


def run_tick(
    runtime: Runtime, now: datetime, jobs: Sequence[tuple[str, Job]] | None = None
) -> TickReport:
    if now.tzinfo is None:
        raise ValueError("tick needs a timezone-aware instant")
    counts: dict[str, int] = {}
    for name, job in default_jobs(runtime) if jobs is None else jobs:
        started = time.perf_counter()
        counts[name] = job(runtime, now)
        log.info(
            "job.done",
            job=name,
            now=now.isoformat(),
            count=counts[name],
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
    report = TickReport(now=now, counts=counts)
    log.info("tick.done", now=now.isoformat(), total=report.total)
    return report
