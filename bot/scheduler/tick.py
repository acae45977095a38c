"""One scheduler pass as of a given instant: plan what became due, then send it.

Jobs are plain functions of `(runtime, now)`; `twoway tick --now` and the
APScheduler heartbeat make the same call, so tests can run any instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.logging import get_logger
from bot.runtime import Runtime

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


def all_renderers() -> dict[str, Any]:
    """Every kind of outbox row and the function that renders it."""
    from bot.workflows.checkin_messages import CHECKIN_RENDERERS
    from bot.workflows.pair_messages import PAIR_RENDERERS
    from bot.workflows.rhythm_messages import RHYTHM_RENDERERS
    from bot.workflows.rotation import ROTATION_RENDERERS
    from bot.workflows.stalls import STALL_RENDERERS
    from bot.workflows.survey_messages import SURVEY_RENDERERS

    return {
        **PAIR_RENDERERS,
        **ROTATION_RENDERERS,
        **RHYTHM_RENDERERS,
        **CHECKIN_RENDERERS,
        **STALL_RENDERERS,
        **SURVEY_RENDERERS,
    }


def end_pauses(runtime: Runtime, now: datetime) -> int:
    from bot.services.pauses import end_expired_pauses

    with runtime.unit_of_work() as session:
        return end_expired_pauses(session, today=now.date())


def plan_pair_rhythms(runtime: Runtime, now: datetime) -> int:
    from bot.services.rhythm import plan_rhythm

    with runtime.unit_of_work() as session:
        return plan_rhythm(session, now=now)


def send_deliveries(runtime: Runtime, now: datetime) -> int:
    """Send everything due, in batches, until nothing due is left for this pass."""
    from bot.scheduler.outbox import drain

    return drain(runtime, now, all_renderers()).sent


def default_jobs() -> Sequence[tuple[str, Job]]:
    """The steps of a tick, in order: planning what became due, then sending it."""
    from bot.workflows.checkin_messages import plan_checkins
    from bot.workflows.rotation import plan_rotation_previews
    from bot.workflows.stalls import plan_stall_notes
    from bot.workflows.survey_messages import plan_surveys

    return (
        ("pauses_ended", end_pauses),
        ("rotation_previews", plan_rotation_previews),
        ("rhythm", plan_pair_rhythms),
        ("checkins", plan_checkins),
        ("stalls", plan_stall_notes),
        ("surveys", plan_surveys),
        ("deliveries", send_deliveries),
    )


def run_tick(
    runtime: Runtime, now: datetime, jobs: Sequence[tuple[str, Job]] | None = None
) -> TickReport:
    if now.tzinfo is None:
        raise ValueError("tick needs a timezone-aware instant")
    counts: dict[str, int] = {}
    for name, job in default_jobs() if jobs is None else jobs:
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
