"""The messages a nudge button makes the bot post, planned in the outbox.

Each is planned in the same transaction as the change it reports, under a key that
makes a double click or a retried request plan nothing more. Payloads hold ids only:
renderers read the session and the pair again when they send.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.deliveries import delivery_key, plan_now
from bot.services.pairs import PairDetails
from models import Delivery

SLOTS = "rhythm_slots"  # the times *Pick a time* offers, in the pair's conversation
PLANNED = "session_planned"  # who picked which time, in the pair's conversation
INVITE = "session_invite"  # the .ics file for that time, in the pair's conversation
SKIPPED = "session_skipped"  # "can't make it this time", in the pair's conversation
HELP = "admin_help"  # a pair member asked for help, in the admin channel


def _offer_key(pair_id: int, period_key: str) -> str:
    return f"rhythm:{pair_id}:{period_key}:slots"


def plan_slot_offer(
    session: Session,
    *,
    pair: PairDetails,
    period_key: str,
    now: datetime,
    starts: list[datetime] | None = None,
    fits_everyone: bool = True,
) -> int | None:
    """`starts` are the times the clicker was shown; the renderer posts the same ones while
    they are ahead, and works out fresh ones when a retried offer finds them passed."""
    payload: dict[str, object] = {"period_key": period_key}
    if starts:
        payload["starts"] = [int(t.timestamp()) for t in starts]
        payload["fits_everyone"] = fits_everyone
    return plan_now(
        session,
        workspace_id=pair.workspace_id,
        kind=SLOTS,
        key=_offer_key(pair.id, period_key),
        now=now,
        pair_id=pair.id,
        period=period_key,
        payload=payload,
    )


def offered_starts(session: Session, *, pair_id: int, period_key: str) -> list[datetime]:
    """The times already offered to the pair this period (empty when none were kept)."""
    payload = session.scalar(
        select(Delivery.payload).where(Delivery.unique_key == _offer_key(pair_id, period_key))
    )
    epochs = (payload or {}).get("starts") or []
    return [datetime.fromtimestamp(int(e), UTC) for e in epochs if isinstance(e, int)]


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
