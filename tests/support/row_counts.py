"""Row counts of the tables that hold a program's state: "nothing changed" made checkable."""

from __future__ import annotations

from sqlalchemy import func, select, table

from tests.support.app_server import AppServer

STATE_TABLES = [
    "checkins",
    "deliveries",
    "match_runs",
    "pairs",
    "programs",
    "participants",
    "goals",
    "sessions",
    "learnings",
    "action_items",
    "feedback",
    "surveys",
    "survey_responses",
    "workspaces",
    "members",
    "coordinators",
    "dm_channels",
    "announcements",
    "celebrations",
    "sponsors",
]


def row_counts(app_server: AppServer, tables: list[str] = STATE_TABLES) -> dict[str, int]:
    with app_server.runtime.unit_of_work() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table(name))) or 0
            for name in tables
        }
