"""Migration 0005: the deliveries status CHECK takes `sending` and `uncertain` on both
databases, still refuses anything else, and a downgrade keeps every row."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bot import migrate

INSERT = (
    "INSERT INTO deliveries (id, workspace_id, kind, unique_key, period, due_at, status,"
    " attempts, payload) VALUES (:id, 1, 'note', :key, 'p', '2026-03-02 09:00:00+00:00',"
    " :status, 1, '{}')"
)


def test_new_statuses_are_stored_and_downgraded_to_their_old_meaning(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (id, team_id, status) VALUES (1, 'T1', 'active')")
            )
            for number, status in enumerate(("sending", "uncertain", "sent"), start=1):
                connection.execute(
                    text(INSERT), {"id": number, "key": f"k{number}", "status": status}
                )
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(INSERT), {"id": 9, "key": "k9", "status": "lost"})

        migrate.downgrade(url, "0004")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, status FROM deliveries ORDER BY id"))
            assert [tuple(row) for row in rows] == [(1, "claimed"), (2, "failed"), (3, "sent")]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(INSERT), {"id": 8, "key": "k8", "status": "uncertain"})
        migrate.upgrade(url)
        migrate.check(url)
    finally:
        engine.dispose()
