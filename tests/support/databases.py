"""Fresh, migrated databases per test, on SQLite and on PostgreSQL.

Migrations run once per test session into a template; each test then gets a
copy (a file copy for SQLite, `CREATE DATABASE ... TEMPLATE` for PostgreSQL),
which is both isolated and fast.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from bot import migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "TWOWAY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_admin_engine() -> Engine | None:
    """An autocommit engine on the maintenance database, or None when PostgreSQL is down."""
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        engine.dispose()
        return None
    return engine


def require_postgres(engine: Engine | None) -> Engine:
    """Skip only on a developer machine; in CI an unreachable PostgreSQL is a failure."""
    if engine is not None:
        return engine
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL} and CI is set")
    pytest.skip("PostgreSQL unreachable (allowed only outside CI)")


def postgres_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


class PostgresDatabases:
    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.template = f"twoway_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._template_ready = False

    def empty(self) -> str:
        name = f"twoway_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return postgres_url(name)

    def migrated(self) -> str:
        if not self._template_ready:
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.template}"'))
            migrate.upgrade(postgres_url(self.template))
            self._template_ready = True
        name = f"twoway_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return postgres_url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self._template_ready:
            self.drop(postgres_url(self.template))
        self.admin.dispose()


class SqliteDatabases:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"

    def empty(self) -> str:
        return f"sqlite:///{self.root / f'{uuid.uuid4().hex[:12]}.db'}"

    def migrated(self) -> str:
        if not self.template.exists():
            migrate.upgrade(f"sqlite:///{self.template}")
        path = self.root / f"{uuid.uuid4().hex[:12]}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            path = Path(url.removeprefix("sqlite:///") + suffix)
            if path.is_dir():  # a test replaced the file to make the database unreachable
                path.rmdir()
            path.unlink(missing_ok=True)
