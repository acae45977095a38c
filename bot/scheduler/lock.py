"""SQLite runs one scheduler at a time, enforced with a lock file beside the database.

SQLite has no row locks, so two schedulers would race for the same rows; PostgreSQL
workers coordinate through `FOR UPDATE SKIP LOCKED` and need no such lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url


class SchedulerBusy(Exception):
    """Another scheduler holds this SQLite database."""


def _lock_path(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return os.path.abspath(url.database) + ".scheduler.lock"


@contextmanager
def single_scheduler(database_url: str) -> Iterator[None]:
    path = _lock_path(database_url)
    if path is None:
        yield
        return
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SchedulerBusy(
                "another twoway scheduler is already running on this SQLite database; SQLite "
                "supports one (set TWOWAY_SCHEDULER=off elsewhere, or use PostgreSQL for several workers)"
            ) from None
        yield
    finally:
        handle.close()  # closing releases the lock
