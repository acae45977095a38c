"""Cut the app's database away and bring it back, on either backend, in an instant.

PostgreSQL: the database stops taking connections and the app's open ones are
terminated (what a failover or a network cut looks like to the app). SQLite: the file
moves away, so the next connection finds an empty database without its tables. Either
way the app's next statement fails with an `OperationalError`, as it would for real.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

SQLITE_SUFFIXES = ("", "-wal", "-shm")


@contextmanager
def database_cut(
    url: str, admin: Engine | None, app_engine: Engine | None = None
) -> Iterator[None]:
    """The database at `url` is unreachable inside the block; `admin` is an autocommit
    engine on another PostgreSQL database (unused for SQLite). For SQLite, the app's pooled
    connections (`app_engine`) are closed too, as PostgreSQL's are terminated: an open
    connection would otherwise keep the moved file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        try:
            with _file_moved(Path(str(parsed.database))):
                if app_engine is not None:
                    app_engine.dispose()
                yield
        finally:
            if app_engine is not None:
                app_engine.dispose()  # connections opened on the empty stand-in go too
        return
    assert admin is not None
    name = parsed.database
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))


@contextmanager
def _file_moved(path: Path) -> Iterator[None]:
    away = path.with_name(path.name + ".cut")
    for suffix in SQLITE_SUFFIXES:
        if Path(f"{path}{suffix}").exists():
            shutil.move(f"{path}{suffix}", f"{away}{suffix}")
    try:
        yield
    finally:
        for suffix in SQLITE_SUFFIXES:
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # the empty stand-in
            if Path(f"{away}{suffix}").exists():
                shutil.move(f"{away}{suffix}", f"{path}{suffix}")
