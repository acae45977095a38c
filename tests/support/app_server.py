"""The real app (Bolt + Starlette) served by uvicorn on a random local port, in a thread."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from slack_bolt import App

from bot.config import Settings
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.slack.gateway import RetryPolicy
from bot.slack.pacing import Pacing
from bot.web import create_asgi_app
from handlers import create_bolt_app, discover_features
from handlers.executor import TrackedExecutor

# Retries as in production, with short back-off so that fault tests stay fast.
FAST_RETRIES = RetryPolicy(backoff_factor=0.01, jitter=0.01)
UNPACED = Pacing(channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6)


def build_test_app(settings: Settings) -> tuple[Runtime, TrackedExecutor, App]:
    """The runtime and Bolt app as `twoway run` builds them, for either transport
    (HTTP here, Socket Mode in tests/support/socket_app.py), with a countable listener pool."""
    runtime = build_runtime(settings, features=discover_features(), retry=FAST_RETRIES)
    # Simulated time runs far faster than Slack's clock, so the app's own pacing is off
    # by default in tests (the emulator enforces no rate limits unless a test asks);
    # pacing itself is tested on its own and in bench/bench_deliveries.py.
    runtime.pacing = UNPACED
    bootstrap_workspace(runtime)
    executor = TrackedExecutor()
    return runtime, executor, create_bolt_app(runtime, executor=executor)


class AppServer:
    def __init__(self, settings: Settings) -> None:
        self.runtime, self.executor, self.bolt_app = build_test_app(settings)
        # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say
        # they are TCP, and without it every answer with a body waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_asgi_app(self.bolt_app, self.runtime.engine),
            log_config=None,
            access_log=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> AppServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the app server did not start")
            time.sleep(0.01)
        return self

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Return once every listener the app started has finished (no sleeping)."""
        self.executor.wait_idle(timeout)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        self.executor.shutdown(wait=True)
        self.runtime.close()
