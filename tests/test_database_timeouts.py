"""Every database wait is bounded: connect, statement, pool checkout, a server that went silent.

A hung or unreachable database must give a quick, clear failure (a 503 from `/healthz`, a
"can't reach its database" answer in Slack), never a request that hangs or falls through
to another listener. The hung server is a real TCP peer that accepts and never answers
(tests/support/tcp_proxy.py); the bounds asserted are generous: they prove an answer comes
at all, not how fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.config import Settings
from bot.db import make_engine, unbounded_statements
from bot.slack_emulator import SlackEmulator
from tests.support.app_server import AppServer
from tests.support.databases import POSTGRES_ADMIN_URL, PostgresDatabases, require_postgres
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests
from tests.support.tcp_proxy import SilentServer, TcpProxy

HANG_BOUND = 5.0  # seconds: far above every bound the app sets, far below "hangs"
UNREACHABLE = "twoway can't reach its database right now"


def _finishes_within(seconds: float, work: Callable[[], object]) -> BaseException | None:
    """Run `work` in a thread; fail if it is still running after `seconds` (it hangs)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {time.monotonic() - started:.1f}s: the wait is unbounded"
    return outcome[0]


def _through(url: str, port: int) -> str:
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


@pytest.fixture
def postgres_url(postgres_databases: PostgresDatabases | None) -> str:
    """Any reachable PostgreSQL database: these tests only connect, so no copy is made."""
    require_postgres(postgres_databases.admin if postgres_databases else None)
    return POSTGRES_ADMIN_URL


def test_connecting_to_a_silent_server_gives_up() -> None:
    server = SilentServer().start()
    engine = make_engine(f"postgresql+psycopg://twoway@127.0.0.1:{server.port}/twoway")
    try:

        def connect() -> None:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))

        error = _finishes_within(HANG_BOUND, connect)
        assert isinstance(error, OperationalError)
    finally:
        engine.dispose()
        server.close()


def test_postgres_statements_have_a_timeout(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "5s"
    finally:
        engine.dispose()


def test_migrations_run_without_the_statement_bounds(postgres_url: str) -> None:
    """A migration (or its lock) may rightly take long; the lifted bounds never reach the pool."""
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection, unbounded_statements(connection):
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "0"
            assert connection.connection.dbapi_connection.round_trip_limit is None  # type: ignore[union-attr]
        with engine.connect() as connection:
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "5s"
    finally:
        engine.dispose()


def test_sqlite_waits_for_a_lock_for_a_bounded_time(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 5000
    finally:
        engine.dispose()


def test_an_exhausted_pool_fails_instead_of_queueing_for_long(postgres_url: str) -> None:
    engine = make_engine(postgres_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect():
            error = _finishes_within(HANG_BOUND, lambda: engine.connect().close())
        assert isinstance(error, PoolTimeout)
    finally:
        engine.dispose()


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    url = make_url(postgres_url)
    server = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    yield server
    server.close()


def test_a_server_that_stops_answering_mid_session_is_bounded(
    postgres_url: str, proxy: TcpProxy
) -> None:
    engine = make_engine(_through(postgres_url, proxy.port), statement_timeout=1.0)
    try:
        connection = engine.connect()
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        proxy.silence()
        error = _finishes_within(HANG_BOUND, lambda: connection.execute(text("SELECT 1")))
        assert isinstance(error, OperationalError)
        connection.close()
    finally:
        engine.dispose()


def test_a_pooled_connection_to_a_silent_server_is_given_up(
    postgres_url: str, proxy: TcpProxy
) -> None:
    engine = make_engine(_through(postgres_url, proxy.port))
    try:
        with engine.connect() as connection:  # a connection now waits in the pool
            connection.execute(text("SELECT 1"))
        proxy.silence()

        def checkout() -> None:
            with engine.connect() as again:
                again.execute(text("SELECT 1"))

        error = _finishes_within(HANG_BOUND, checkout)
        assert isinstance(error, OperationalError)
    finally:
        engine.dispose()


class Outage:
    """An app server whose database can be taken away: silenced (PostgreSQL) or gone (SQLite)."""

    def __init__(self, settings: Settings) -> None:
        url = settings.database_url
        self.proxy: TcpProxy | None = None
        if not url.startswith("sqlite"):
            parsed = make_url(url)
            self.proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432).start()
            settings = settings.model_copy(update={"database_url": _through(url, self.proxy.port)})
        self.database_url = url
        self.server = AppServer(settings).start()

    def begin(self) -> None:
        if self.proxy is not None:
            self.proxy.silence()
            return
        path = Path(self.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.mkdir()  # a directory where the file was: SQLite cannot open it

    def close(self) -> None:
        self.server.stop()
        if self.proxy is not None:
            self.proxy.close()


@pytest.fixture
def outage(settings: Settings) -> Iterator[Outage]:
    fault = Outage(settings)
    yield fault
    fault.close()


def test_healthz_answers_503_while_the_database_is_hung(outage: Outage) -> None:
    health = outage.server.base_url + "/healthz"
    assert httpx.get(health, timeout=10).status_code == 200
    outage.begin()
    answer: list[httpx.Response] = []
    error = _finishes_within(
        HANG_BOUND, lambda: answer.append(httpx.get(health, timeout=HANG_BOUND + 5))
    )
    assert error is None
    assert answer[0].status_code == 503
    assert answer[0].json() == {"status": "unavailable", "database": "unreachable"}


def test_a_command_without_a_database_gets_a_clear_answer(
    outage: Outage, emulator: SlackEmulator
) -> None:
    from tests.conftest import SIGNING_SECRET

    slack = SlackRequests(outage.server.base_url, SIGNING_SECRET, emulator.response_url("slash"))
    try:
        assert slack.command("help").status_code == 200  # the control, while it still works
        outage.server.wait_idle()
        answered_before = len(emulator.responses())
        outage.begin()
        answer: list[httpx.Response] = []
        error = _finishes_within(HANG_BOUND, lambda: answer.append(slack.command("pair")))
        assert error is None
        response = answer[0]
        assert response.status_code == 200
        body = response.json()
        assert body["response_type"] == "ephemeral"
        assert UNREACHABLE in body["text"]
        outage.server.wait_idle()
        # Said once, in the answer itself: no second message through the response_url, and
        # no fall-through to the help listener.
        assert len(emulator.responses()) == answered_before
        assert "/mentor help" not in str(body)
    finally:
        slack.close()


def test_buttons_modals_and_events_without_a_database_are_answered_not_500(
    outage: Outage, emulator: SlackEmulator
) -> None:
    """What fails in the middleware (the caller can't be read) is answered like a command:
    a button through its response_url, a modal with its words in place, an event with a
    plain acknowledgement; never Bolt's 500."""
    from tests.conftest import SIGNING_SECRET

    slack = SlackRequests(outage.server.base_url, SIGNING_SECRET, emulator.response_url("slash"))
    try:
        outage.begin()
        pressed = click(slack, user="U0JUNIOR01", action_id="rhythm-met", value="1")
        assert pressed.status_code == 200
        submitted = submit_view(
            slack,
            user="U0JUNIOR01",
            view={"type": "modal", "callback_id": "goals-modal", "private_metadata": "1"},
            view_id="V0OUTAGE01",
            values={},
        )
        assert submitted.status_code == 200
        answer = submitted.json()
        assert answer["response_action"] == "update"
        assert UNREACHABLE in str(answer["view"])
        event = slack.event({"type": "app_home_opened", "user": "U0JUNIOR01", "tab": "home"})
        assert event.status_code == 200
        outage.server.wait_idle()
        told = [r for r in emulator.responses() if UNREACHABLE in str(r)]
        assert len(told) == 1  # the button's person, once, through its response_url
    finally:
        slack.close()
