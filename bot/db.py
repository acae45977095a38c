"""Engine and unit-of-work factories; nothing is created at import time.

Every wait on the database is bounded, so that a hung or unreachable server turns into a
quick `OperationalError` (answered in Slack as "can't reach its database") instead of a
request that hangs past Slack's 3-second ack:

- connecting: `connect_timeout` (libpq's minimum, 2 s);
- a statement: the server's `statement_timeout`, and the client's own bound a second
  later (`BoundedConnection`) for a server that no longer answers at all;
- the pool: `pool_timeout` when every connection is in use, and a short bound on the
  pre-ping of a pooled connection, so that a dead one is replaced quickly;
- SQLite: the busy timeout, for a write lock held by another process; a pooled connection
  is dropped at checkout when its file is no longer the one the path names.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from models.base import CLOCK_OPTION

CONNECT_TIMEOUT_S = 2  # libpq's minimum; whole seconds only
STATEMENT_TIMEOUT_S = 5.0
POOL_TIMEOUT_S = 2.0
PING_TIMEOUT_S = 0.5  # a healthy server answers a ping in milliseconds
SQLITE_BUSY_TIMEOUT_S = 5.0
HEALTH_PROBE_TIMEOUT_S = 1.5

# psycopg's signal that `Connection.wait(timeout=...)` expired (psycopg >= 3.2.x); without
# it the client-side bound is not installed and only the server-side timeouts apply.
_WAIT_TIMEOUT: type[Exception] | None = getattr(pg_errors, "_WaitTimeout", None)


def make_engine(
    url: str, *, statement_timeout: float = STATEMENT_TIMEOUT_S, **kwargs: Any
) -> Engine:
    """Create an engine tuned for the backend, with every wait bounded (see the module doc).

    `statement_timeout` (seconds; 0 turns it off, for migrations) bounds one statement.
    """
    if url.startswith("sqlite"):
        kwargs.setdefault(
            "connect_args", {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
        )
        # SQLAlchemy's default pool for a file: a connection is lent to one thread at a time
        # and kept open, so its PRAGMAs run once rather than once per unit of work (a tick
        # opens about ten). An open connection would keep a file that was moved or deleted
        # alive, so each checkout first checks that the path still names the same file.
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            _check_file_on_checkout(engine, Path(database))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_timeout", POOL_TIMEOUT_S)
    kwargs["connect_args"] = _postgres_connect_args(
        url, statement_timeout, kwargs.get("connect_args", {})
    )
    engine = create_engine(url, **kwargs)
    if engine.dialect.driver == "psycopg" and _WAIT_TIMEOUT is not None:
        _bound_round_trips(engine, statement_timeout)
    return engine


def _postgres_connect_args(
    url: str, statement_timeout: float, given: dict[str, Any]
) -> dict[str, Any]:
    """libpq parameters: a connect timeout and the statement timeout, keeping the URL's own."""
    query = make_url(url).query
    args = dict(given)
    if "connect_timeout" not in query:
        args.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    if statement_timeout > 0:
        options = [str(query["options"])] if "options" in query else []
        options += [str(args["options"])] if "options" in args else []
        options.append(f"-c statement_timeout={round(statement_timeout * 1000)}")
        args["options"] = " ".join(options)
    return args


class BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection that stops waiting for a server that no longer answers.

    `statement_timeout` is enforced by the server, so it cannot help when the server (or
    the network to it) is what hangs; psycopg itself would wait forever. Past the bound
    the connection is closed (its protocol state is unknown), which SQLAlchemy reads as
    a disconnect: the connection is discarded and the pool refreshed.
    """

    round_trip_limit: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        limit = timeout if timeout is not None else self.round_trip_limit
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except Exception as exc:
            if _WAIT_TIMEOUT is None or not isinstance(exc, _WAIT_TIMEOUT) or timeout is not None:
                raise
            self.pgconn.finish()
            raise pg_errors.OperationalError(
                f"the database did not answer within {limit:.1f}s; connection closed"
            ) from exc


def _bound_round_trips(engine: Engine, statement_timeout: float) -> None:
    limit = statement_timeout + 1.0 if statement_timeout > 0 else None

    @event.listens_for(engine, "do_connect")
    def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> BoundedConnection:
        connection = BoundedConnection.connect(*cargs, **cparams)
        connection.round_trip_limit = limit
        return connection

    @event.listens_for(engine.pool, "checkin")
    def next_is_a_ping(dbapi_connection: Any, _record: Any) -> None:
        # The next round trip of a pooled connection is the pre-ping: bound it tightly.
        if isinstance(dbapi_connection, BoundedConnection):
            dbapi_connection.round_trip_limit = PING_TIMEOUT_S

    @event.listens_for(engine.pool, "checkout")
    def back_to_statements(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if isinstance(dbapi_connection, BoundedConnection):
            dbapi_connection.round_trip_limit = limit


@contextmanager
def unbounded_statements(connection: Connection) -> Iterator[Connection]:
    """Lift the statement bounds on `connection` for work that may rightly take long.

    Migrations and the advisory lock that serialises them can exceed a request's bound.
    The connection is discarded afterwards, so no pooled connection keeps the lifted
    bounds. (SQLite has no statement bound: nothing to do.)
    """
    if connection.dialect.name != "postgresql":
        yield connection
        return
    connection.exec_driver_sql("SET statement_timeout = 0")
    connection.commit()
    dbapi_connection = connection.connection.dbapi_connection
    if isinstance(dbapi_connection, BoundedConnection):
        dbapi_connection.round_trip_limit = None
    try:
        yield connection
    finally:
        connection.invalidate()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself so that transactions are real (pysqlite's
    # legacy mode would otherwise defer BEGIN and break SELECT-then-write logic).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={round(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def _check_file_on_checkout(engine: Engine, path: Path) -> None:
    """Discard a pooled connection whose file was moved, replaced or deleted.

    A fresh connection then opens whatever the path names now, so an unreachable database
    fails at once (`/healthz` answers 503) instead of being served from a stale handle.
    """

    @event.listens_for(engine.pool, "connect")
    def remember(_dbapi_connection: Any, record: Any) -> None:
        record.info["sqlite_file"] = _file_identity(path)

    @event.listens_for(engine.pool, "checkout")
    def still_there(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("sqlite_file") != _file_identity(path):
            raise DisconnectionError("the SQLite file was moved, replaced or deleted")


READ_ONLY = "twoway_read_only"  # execution option of units of work that only read


def _sqlite_on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue instead of failing
    # with "database is locked" half-way through a unit of work. A unit that only reads
    # takes no write lock (WAL readers see a snapshot), so it never queues behind writers.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_session_factory(
    engine: Engine, *, clock: Clock, read_only: bool = False
) -> sessionmaker[Session]:
    """Sessions on `engine` whose rows are stamped by `clock` (`created_at`, `updated_at`);
    `read_only` ones must not write (SQLite takes no write lock)."""
    options: dict[str, Any] = {CLOCK_OPTION: clock}
    if read_only:
        options[READ_ONLY] = True
    return sessionmaker(bind=engine.execution_options(**options), expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def database_unavailable(error: BaseException) -> bool:
    """True when `error` is about the database (unreachable, lost, timed out, pool full),
    not about the request: people are then told to try again in a minute."""
    if isinstance(error, OperationalError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def database_is_reachable(engine: Engine) -> bool:
    """Health probe: a trivial query with a short failure path."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


class HealthProbe:
    """`database_is_reachable`, answered within `timeout` however the database behaves.

    The probe runs in a thread of its own; a caller waits at most `timeout` for it. While
    one probe is still stuck, later callers share it instead of piling up threads.
    """

    def __init__(self, engine: Engine, timeout: float = HEALTH_PROBE_TIMEOUT_S) -> None:
        self.engine = engine
        self.timeout = timeout
        self._lock = threading.Lock()
        self._running: _Probe | None = None

    def reachable(self) -> bool:
        with self._lock:
            probe = self._running
            if probe is None or probe.done.is_set():
                probe = self._running = _Probe(self.engine)
        probe.done.wait(self.timeout)
        return probe.done.is_set() and probe.result


class _Probe:
    def __init__(self, engine: Engine) -> None:
        self.done = threading.Event()
        self.result = False
        threading.Thread(target=self._run, args=(engine,), daemon=True, name="healthz").start()

    def _run(self, engine: Engine) -> None:
        self.result = database_is_reachable(engine)
        self.done.set()
