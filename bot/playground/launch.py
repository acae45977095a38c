"""Start the playground: the emulator as Slack, the real app on its own SQLite file, and
the page on http://127.0.0.1:PORT/ (loopback only). `twoway playground` and `twoway run`
without Slack credentials (from a terminal) come here."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uvicorn

from bot.clock import SystemClock
from bot.playground.people import PEOPLE
from bot.playground.seed import seed_program, seed_workspace
from bot.playground.server import create_page_app
from bot.playground.world import Playground
from bot.slack_emulator import SlackEmulator
from bot.web import create_asgi_app

DEFAULT_DATABASE = "twoway-playground.db"
HOST = "127.0.0.1"

INTRO = """\
twoway playground: a local workspace with {people} synthetic people, no Slack needed.
  Open http://{host}:{port}/ and act as the coordinator, a senior or a junior.
  The bot is the real app on {database} (its own file, fresh each start); Slack is emulated.
  Try /mentor admin match in #mentoring-admin, then the clock buttons to live through weeks.

To connect a real Slack workspace instead:
"""


@dataclass
class Running:
    """A playground served on a thread (tests) or in the foreground (the CLI)."""

    world: Playground
    emulator: SlackEmulator
    server: uvicorn.Server
    sock: socket.socket
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.sock.getsockname()[1]}"

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=15)
        self.sock.close()
        self.world.close()
        self.emulator.stop()


def _start_of_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def build(
    database: Path, *, port: int = 0, now: datetime | None = None, fresh: bool = True
) -> Running:
    """Everything set up with the socket bound, not yet serving. The playground's database
    starts fresh each time (the emulated workspace lives in memory only); `fresh=False`
    keeps a file that is already migrated and empty (tests pass their template copy)."""
    if fresh:
        for leftover in (database, database.with_name(database.name + "-journal")):
            leftover.unlink(missing_ok=True)
    emulator = SlackEmulator(team_name="Twoway Playground").start()
    seed_workspace(emulator)
    world = Playground(
        emulator, f"sqlite:///{database}", now or _start_of_hour(SystemClock().now())
    )
    bolt_app = world.prepare()
    slack_app = create_asgi_app(bolt_app, world.runtime.engine)
    app = create_page_app(world, list(slack_app.routes))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
    running = Running(world, emulator, uvicorn.Server(config), sock)
    world.connect(running.url)
    return running


def _wait_started(running: Running) -> None:
    deadline = time.monotonic() + 15
    while not running.server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the playground did not start")
        time.sleep(0.02)


def start_in_thread(
    database: Path,
    *,
    port: int = 0,
    seed: bool = False,
    now: datetime | None = None,
    fresh: bool = True,
) -> Running:
    """Serve on a daemon thread (port 0: a free one); `seed` also creates and fills a program."""
    running = build(database, port=port, now=now, fresh=fresh)
    running.thread = threading.Thread(
        target=running.server.run, kwargs={"sockets": [running.sock]}, daemon=True
    )
    running.thread.start()
    _wait_started(running)
    if seed:
        seed_program(running.world)
    return running


def intro(port: int, database: Path, setup_steps: str) -> str:
    """The first lines: what this is, where to open it, then the steps to connect a real
    workspace (the credentials message without its "missing" line)."""
    steps = setup_steps.split("\n", 1)[1] if "\n" in setup_steps else setup_steps
    return INTRO.format(people=len(PEOPLE), host=HOST, port=port, database=database) + steps
