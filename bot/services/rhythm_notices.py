"""The messages a nudge button makes the bot post, planned in the outbox.

Each is planned in the same transaction as the change it reports, under a key that
makes a double click or a retried request plan nothing more. Payloads hold ids only:
renderers read the session and the pair again when they send.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.deliveries import delivery_key, plan_now
from bot.services.pairs import PairDetails

SLOTS = "rhythm_slots"  # the times *Pick a time* offers, in the pair's conversation
PLANNED = "session_planned"  # who picked which time, in the pair's conversation
INVITE = "session_invite"  # the .ics file for that time, in the pair's conversation
SKIPPED = "session_skipped"  # "can't make it this time", in the pair's conversation
HELP = "admin_help"  # a pair member asked for help, in the admin channel


def plan_slot_offer(
    session: Session, *, pair: PairDetails, period_key: str, now: datetime
) -> int | None:
    """Times are worked out when the offer is sent, so a retried offer is not stale."""
    return plan_now(
        session,
        workspace_id=pair.workspace_id,
        kind=SLOTS,
        key=f"rhythm:{pair.id}:{period_key}:slots",
        now=now,
        pair_id=pair.id,
        period=period_key,
        payload={"period_key": period_key},
    )


def plan_session_notices(
    session: Session,
    *,
    pair: PairDetails,
    session_id: int,
    period_key: str,
    picked_by: str,
    now: datetime,
) -> list[int]:
    """The "time picked" post, then the calendar invite (sent in that order)."""
    planned = [
        plan_now(
            session,
            workspace_id=pair.workspace_id,
            kind=kind,
            key=f"session:{session_id}:{kind}",
            now=now,
            pair_id=pair.id,
            period=period_key,
            payload={"session_id": session_id, "period_key": period_key, "picked_by": picked_by},
        )
        for kind in (PLANNED, INVITE)
    ]
    return [delivery_id for delivery_id in planned if delivery_id is not None]


def plan_skip_note(
    session: Session, *, pair: PairDetails, session_id: int, period_key: str, now: datetime
) -> int | None:
    """The partner hears that this period is skipped; the reason stays in the records."""
    return plan_now(
        session,
        workspace_id=pair.workspace_id,
        kind=SKIPPED,
        key=f"session:{session_id}:{SKIPPED}",
        now=now,
        pair_id=pair.id,
        period=period_key,
        payload={"session_id": session_id},
    )


def plan_help_request(
    session: Session, *, pair: PairDetails, period_key: str, asked_by: str, now: datetime
) -> int | None:
    """Once per pair and period, whoever of the two asks (None: asked before)."""
    return plan_now(
        session,
        workspace_id=pair.workspace_id,
        kind=HELP,
        key=delivery_key(HELP, period=period_key, pair_id=pair.id),
        now=now,
        pair_id=pair.id,
        period=period_key,
        payload={"asked_by": asked_by},
    )
