"""`twoway playground` (and `twoway run` without Slack credentials, from a terminal)."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from bot.logging import configure_logging


def should_fall_back(*, missing: list[str], explicit: bool) -> bool:
    """The playground replaces the credentials error only for a person at a terminal (or
    when asked for): the Procfile's processes and scripts keep failing with the steps."""
    return explicit or (bool(missing) and sys.stdin.isatty())


def serve_playground(port: int, setup_steps: str, database: Path | None = None) -> None:
    """Say what this is and where to open it, seed the workspace, then serve until Ctrl-C."""
    # Imported here: `twoway run` with credentials asks only `should_fall_back`.
    from bot.playground.launch import DEFAULT_DATABASE, intro, start_in_thread

    database = database or Path.cwd() / DEFAULT_DATABASE
    configure_logging(level=logging.WARNING)  # the terminal shows the intro, not every request
    print(intro(port, database, setup_steps), flush=True)
    running = start_in_thread(database, port=port, seed=True)
    print(f"Ready: {running.url}/ (Ctrl-C stops the playground)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
