"""An outbox worker in a process of its own, for tests that SIGKILL it while a call is in flight.

`python -m tests.support.outbox_worker DATABASE_URL API_URL TOKEN NOW KINDS ID...` sends the
given deliveries rows once (`send_batch`), rendering every row of the comma-separated KINDS
as a note posted to the channel in its payload. A test makes the Slack emulator hold
chat.postMessage (`emulator.delay`), waits until the call is held, and kills the process:
what a worker killed mid-send (a crash, an OOM kill, a deploy) leaves behind.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext
from models import Delivery

ROOT = Path(__file__).resolve().parent.parent.parent
DOOMED_WORKER = "doomed-worker"


def render_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Post(text=f"note {delivery.period}", blocks=[], channel=delivery.payload["channel"])


def start_worker(
    *, database_url: str, api_url: str, token: str, now: datetime, kinds: list[str], ids: list[int]
) -> subprocess.Popen[str]:
    """Start the worker process; it exits by itself when its batch is sent."""
    args = [database_url, api_url, token, now.isoformat(), ",".join(kinds), *map(str, ids)]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.outbox_worker", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(
    process: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 60.0
) -> None:
    """SIGKILL `process` as soon as `ready()` is true; fail if it exits or never gets there."""
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            if process.poll() is not None:
                errors = process.stderr.read() if process.stderr else ""
                raise AssertionError(f"the worker exited first: {errors}")
            assert time.monotonic() < deadline, "the worker never reached the call"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def main(argv: list[str]) -> None:
    from bot.config import Settings
    from bot.outbox.engine import send_batch
    from bot.runtime import build_runtime
    from bot.slack.pacing import Pacing

    database_url, api_url, token, now, kinds, *ids = argv
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=token,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        TWOWAY_SCHEDULER="off",
    )
    runtime = build_runtime(settings)
    runtime.pacing = Pacing(channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6)
    try:
        send_batch(
            runtime,
            datetime.fromisoformat(now),
            dict.fromkeys(kinds.split(","), render_note),
            ids=[int(i) for i in ids],
            worker=DOOMED_WORKER,
        )
    finally:
        runtime.close()


if __name__ == "__main__":
    main(sys.argv[1:])
