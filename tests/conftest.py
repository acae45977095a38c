"""Fixtures: databases on both backends, the Slack emulator, and the app served over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import structlog

from bot.config import Settings
from bot.slack_emulator import SlackEmulator
from tests.support.app_server import AppServer
from tests.support.databases import (
    PostgresDatabases,
    SqliteDatabases,
    postgres_admin_engine,
    require_postgres,
)
from tests.support.slack_requests import TEAM_ID, SlackRequests

# Route structlog through the standard library so pytest captures it per test.
structlog.configure(
    processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
    logger_factory=structlog.stdlib.LoggerFactory(),
)

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"
BACKENDS = ["sqlite", "postgresql"]
COORDINATOR = "U0COORD001"
ADMIN_CHANNEL = "C0ADMIN001"


@pytest.fixture(scope="session")
def sqlite_databases(tmp_path_factory: pytest.TempPathFactory) -> SqliteDatabases:
    return SqliteDatabases(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | None]:
    engine = postgres_admin_engine()
    databases = PostgresDatabases(engine) if engine is not None else None
    yield databases
    if databases is not None:
        databases.close()


def _databases(
    backend: str, sqlite: SqliteDatabases, postgres: PostgresDatabases | None
) -> SqliteDatabases | PostgresDatabases:
    if backend == "sqlite":
        return sqlite
    require_postgres(postgres.admin if postgres else None)
    assert postgres is not None
    return postgres


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    sqlite_databases: SqliteDatabases,
    postgres_databases: PostgresDatabases | None,
) -> Iterator[str]:
    """A migrated database of its own for this test, on each backend in turn."""
    databases = _databases(request.param, sqlite_databases, postgres_databases)
    url = databases.migrated()
    yield url
    databases.drop(url)


@pytest.fixture(params=BACKENDS)
def empty_database_url(
    request: pytest.FixtureRequest,
    sqlite_databases: SqliteDatabases,
    postgres_databases: PostgresDatabases | None,
) -> Iterator[str]:
    """An empty database (no tables), for migration tests."""
    databases = _databases(request.param, sqlite_databases, postgres_databases)
    url = databases.empty()
    yield url
    databases.drop(url)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    emu = SlackEmulator(team_id=TEAM_ID, bot_token=BOT_TOKEN).start()
    emu.add_user("U0JUNIOR01", name="jo", real_name="Jo Junior", tz="Europe/Berlin")
    emu.add_user("U0SENIOR01", name="sam", real_name="Sam Senior", tz="America/New_York")
    emu.add_user("U0COORD001", name="cora", real_name="Cora Coordinator", tz="Europe/London")
    emu.add_channel("C0GENERAL1", name="general", members=["U0JUNIOR01", "U0SENIOR01"])
    emu.add_channel(
        ADMIN_CHANNEL,
        name="mentoring-admin",
        is_private=True,
        members=[COORDINATOR, emu.bot_user_id],
    )
    yield emu
    emu.stop()


@pytest.fixture
def settings(database_url: str, emulator: SlackEmulator) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=emulator.api_url,
        DATABASE_URL=database_url,
        TWOWAY_SCHEDULER="off",
        TWOWAY_COORDINATORS=COORDINATOR,
        TWOWAY_ADMIN_CHANNEL=ADMIN_CHANNEL,
    )


@pytest.fixture
def app_server(settings: Settings) -> Iterator[AppServer]:
    server = AppServer(settings).start()
    yield server
    server.stop()


@pytest.fixture
def slack(app_server: AppServer, emulator: SlackEmulator) -> Iterator[SlackRequests]:
    requests = SlackRequests(app_server.base_url, SIGNING_SECRET, emulator.response_url("slash"))
    yield requests
    requests.close()
