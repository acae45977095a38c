"""Slack retries an event it thinks we missed; each event is handled at most once."""

from __future__ import annotations

from bot.runtime import Runtime
from bot.services.idempotency import first_time


def first_sight_of_event(runtime: Runtime, *, team_id: str | None, event_id: str) -> bool:
    """Record the event; False when it was recorded before (a retry, a duplicate)."""
    with runtime.unit_of_work() as session:
        return first_time(session, key=f"event:{team_id}:{event_id}", kind="event")
