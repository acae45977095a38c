"""Bring the schema to head safely, even when several processes start at once."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, text

from bot import migrate

# Any constant works; it only has to be the same for every twoway process.
_MIGRATION_LOCK_ID = 0x7477_6F77


def upgrade_to_head(engine: Engine, database_url: str) -> None:
    """Run pending migrations; on PostgreSQL under an advisory lock so starts never race."""
    if engine.dialect.name != "postgresql":
        migrate.upgrade(database_url)  # SQLite: BEGIN IMMEDIATE already serialises writers
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        connection.commit()
        try:
            config = migrate.alembic_config(database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
