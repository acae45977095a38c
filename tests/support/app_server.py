"""The real app (Bolt + Starlette) served by uvicorn on a random local port, in a thread."""

from __future__ import annotations

from slack_bolt import App

from bot.config import Settings
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.slack.gateway import RetryPolicy
from bot.slack.pacing import Pacing
from bot.web import create_asgi_app
from handlers import create_bolt_app, discover_features
from handlers.executor import TrackedExecutor
from tests.support.served import Served

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
        self._served = Served(create_asgi_app(self.bolt_app, self.runtime.engine))
        self.port = self._served.port
        self.base_url = self._served.base_url

    def start(self) -> AppServer:
        self._served.start()
        return self

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Return once every listener the app started has finished (no sleeping)."""
        self.executor.wait_idle(timeout)

    def stop(self) -> None:
        self._served.stop()
        self.executor.shutdown(wait=True)
        self.runtime.close()
