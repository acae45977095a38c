"""APScheduler only wakes us up; what is due comes from the database each time."""

from __future__ import annotations

from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.scheduler.tick import run_tick

log = get_logger("twoway.scheduler")

HEARTBEAT_SECONDS = 60


def _beat(runtime: Runtime) -> None:
    try:
        run_tick(runtime, runtime.clock.now())
    except Exception:  # the next beat tries again; the database keeps what is due
        log.exception("tick.failed")


def _configure(scheduler: BackgroundScheduler, runtime: Runtime, seconds: int) -> None:
    scheduler.add_job(
        _beat,
        "interval",
        seconds=seconds,
        args=[runtime],
        id="twoway-heartbeat",
        max_instances=1,  # a slow tick is never overlapped by the next one
        coalesce=True,
        next_run_time=runtime.clock.now(),
    )


def start_background_heartbeat(
    runtime: Runtime, seconds: int = HEARTBEAT_SECONDS
) -> BackgroundScheduler:
    """Heartbeat inside the web process (TWOWAY_SCHEDULER=on)."""
    scheduler = BackgroundScheduler(timezone=UTC)
    _configure(scheduler, runtime, seconds)
    scheduler.start()
    log.info("scheduler.started", mode="background", seconds=seconds)
    return scheduler


def run_blocking_heartbeat(runtime: Runtime, seconds: int = HEARTBEAT_SECONDS) -> None:
    """Heartbeat as the whole process (the Procfile's worker)."""
    scheduler = BlockingScheduler(timezone=UTC)
    _configure(scheduler, runtime, seconds)  # type: ignore[arg-type]
    log.info("scheduler.started", mode="worker", seconds=seconds)
    scheduler.start()
