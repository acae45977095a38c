"""Bring the schema to head safely, even when several processes start at once."""

from __future__ import annotations

from sqlalchemy import Engine, text

from bot import migrate
from bot.db import unbounded_statements

# Any constant works; it only has to be the same for every twoway process.
_MIGRATION_LOCK_ID = 0x7477_6F77


def upgrade_to_head(engine: Engine, database_url: str) -> None:
    """Run pending migrations; on PostgreSQL under an advisory lock so starts never race.

    Raises `bot.migrate.MigrationError` (one line) when Alembic cannot, and SQLAlchemy's
    errors when the database cannot be reached.
    """
    if engine.dialect.name != "postgresql":
        migrate.upgrade(database_url)  # SQLite: BEGIN IMMEDIATE already serialises writers
        return
    with engine.connect() as connection, unbounded_statements(connection):
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        connection.commit()
        try:
            migrate.upgrade(database_url, "head", connection=connection)
            connection.commit()
        finally:
            connection.rollback()  # after a failed migration; the session lock survives it
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
