"""Marking App Homes stale: one pending publish per person, sent by the next tick.

Only people who have opened their Home are marked: Slack sends `app_home_opened` every
time a Home is opened, and the app publishes a fresh one then, so a publish to someone
who never looked would be a wasted render and call per change. A change plans a
`home_publish` outbox row for each person whose Home shows it, unless that person
already has one waiting (still `planned`): several changes before a tick
become one `views.publish`, rendered from the database when it is sent. A row already
claimed or sent may predate the change, so then a new one is planned. Keys count up per
person (`home:<workspace>:<user>:<n>`); two transactions racing for the same number
leave one row, which is all that is wanted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.services.deliveries import plan_now
from bot.services.members import ensure_member
from models import Delivery, Member, Pair, Participant
from models.enums import DeliveryStatus

HOME_PUBLISH = "home_publish"


def _prefix(workspace_id: int, user_id: str) -> str:
    return f"home:{workspace_id}:{user_id}:"


def note_home_opened(
    session: Session, *, workspace_id: int, user_id: str, now: datetime, is_coordinator: bool
) -> None:
    """This person looks at their Home: from now on, changes republish it.

    Only participants' and coordinators' Homes change with the program; anyone else's
    lists open programs, so their opening is not recorded (nothing about them is stored).
    """
    if is_coordinator:
        ensure_member(session, workspace_id=workspace_id, user_id=user_id).home_opened_at = now
        return
    session.execute(
        update(Member)
        .where(
            Member.workspace_id == workspace_id,
            Member.slack_user_id == user_id,
            Member.id.in_(select(Participant.member_id)),
        )
        .values(home_opened_at=now)
        .execution_options(synchronize_session=False)
    )


def _has_opened_home(session: Session, *, workspace_id: int, user_id: str) -> bool:
    opened = session.scalar(
        select(Member.home_opened_at).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == user_id
        )
    )
    return opened is not None


def mark_home(session: Session, *, workspace_id: int, user_id: str, now: datetime) -> bool:
    """Plan this person's Home to be published by the next tick; False if one is waiting
    or they have never opened it."""
    if not _has_opened_home(session, workspace_id=workspace_id, user_id=user_id):
        return False
    return _plan_publish(session, workspace_id=workspace_id, user_id=user_id, now=now)


def _plan_publish(session: Session, *, workspace_id: int, user_id: str, now: datetime) -> bool:
    prefix = _prefix(workspace_id, user_id)
    keys = list(
        session.execute(
            select(Delivery.unique_key, Delivery.status).where(
                Delivery.kind == HOME_PUBLISH, Delivery.unique_key.startswith(prefix)
            )
        )
    )
    if any(status == DeliveryStatus.PLANNED for _, status in keys):
        return False
    numbers = [
        int(key.removeprefix(prefix)) for key, _ in keys if key.removeprefix(prefix).isdigit()
    ]
    planned = plan_now(
        session,
        workspace_id=workspace_id,
        kind=HOME_PUBLISH,
        key=f"{prefix}{max(numbers, default=0) + 1}",
        now=now,
        period="home",
        payload={"user": user_id},
    )
    return planned is not None


def mark_homes(
    session: Session, *, workspace_id: int, user_ids: Iterable[str], now: datetime
) -> int:
    """`mark_home` for several people (each once); how many rows were planned."""
    return sum(
        mark_home(session, workspace_id=workspace_id, user_id=user_id, now=now)
        for user_id in sorted(set(user_ids))
    )


def mark_pair_homes(session: Session, *, pair_id: int, now: datetime) -> int:
    """Every member of a pair sees the pair on their Home."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        return 0
    members = [pair.senior_id, pair.junior_id, *([pair.third_id] if pair.third_id else [])]
    rows = session.execute(
        select(Member.workspace_id, Member.slack_user_id)
        .join(Participant, Participant.member_id == Member.id)
        .where(Participant.id.in_(members), Member.home_opened_at.is_not(None))
    ).all()
    return sum(
        _plan_publish(session, workspace_id=workspace_id, user_id=user_id, now=now)
        for workspace_id, user_id in sorted(set(rows))
    )
