"""Erasing a person, and deleting a program's private texts when its retention ends.

Both read the lists of `bot.services.erasure_registry`: texts are blanked in place (rows
stay, so sessions held, goals achieved and survey numbers still count), and an erased
person's Slack id is replaced by a pseudonym everywhere it was stored.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Table, Text, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.services.enrolment import PartnerNotice
from bot.services.erasure_registry import (
    JSON_IDENTITIES,
    PERSONAL_TEXTS,
    PSEUDONYM_PREFIX,
    SLACK_IDENTITIES,
    PersonalText,
)
from bot.services.members import find_member
from bot.services.participation import leave
from models import Base, Coordinator, Delivery, DmChannel, Participant, Program
from models.enums import DeliveryStatus, ParticipantStatus, ProgramStatus


def _table(name: str) -> Table:
    table = Base.metadata.tables.get(name)
    if table is None:
        raise KeyError(f"erasure_registry names a table that does not exist: {name}")
    return table


def blank_value(column: Column[Any]) -> Any:
    """NULL where allowed, else the empty value of the column's type."""
    if column.nullable:
        return None
    if isinstance(column.type, JSON):
        default = getattr(column.default, "arg", None)
        made = default(None) if callable(default) else default
        return [] if isinstance(made, list) else {}
    return ""


def _owned(line: PersonalText, participant_ids: list[int]) -> Any:
    """The WHERE clause selecting the rows of `line` that belong to these participants."""
    table = _table(line.table)
    source = _table(line.via[1]) if line.via else table
    owners = [source.c[line.owner], *(source.c[column] for column in line.also)]
    condition = or_(*(owner.in_(participant_ids) for owner in owners))
    if line.via is None:
        return condition
    return table.c[line.via[0]].in_(select(source.c.id).where(condition))


def blank_texts(session: Session, *, participant_ids: list[int]) -> int:
    """Blank every registered text of these participants; how many values were cleared."""
    if not participant_ids:
        return 0
    cleared = 0
    for line in PERSONAL_TEXTS:
        table = _table(line.table)
        column = table.c[line.column]
        empty = blank_value(column)
        result = session.execute(
            update(table)
            .where(_owned(line, participant_ids))
            .values({line.column: empty})
            .execution_options(synchronize_session=False)
        )
        cleared += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    session.expire_all()
    return cleared


def new_pseudonym() -> str:
    return PSEUDONYM_PREFIX + uuid.uuid4().hex[:16]


def replace_identity(session: Session, *, workspace_id: int, user_id: str, pseudonym: str) -> None:
    """The person's Slack id becomes the pseudonym in every registered identity column."""
    for line in SLACK_IDENTITIES:
        table = _table(line.table)
        statement = update(table).where(table.c[line.column] == user_id)
        if "workspace_id" in table.c:
            statement = statement.where(table.c.workspace_id == workspace_id)
        session.execute(
            statement.values({line.column: pseudonym}).execution_options(synchronize_session=False)
        )


def _swap(value: Any, user_id: str, pseudonym: str) -> Any:
    if isinstance(value, str):
        return pseudonym if value == user_id else value
    if isinstance(value, list):
        return [_swap(v, user_id, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _swap(v, user_id, pseudonym) for k, v in value.items()}
    return value


def replace_identity_in_json(
    session: Session, *, workspace_id: int, user_id: str, pseudonym: str
) -> None:
    """Every string equal to the Slack id inside a registered JSON column."""
    for line in JSON_IDENTITIES:
        table = _table(line.table)
        column = table.c[line.column]
        key = next(iter(table.primary_key.columns))
        query = select(key, column).where(cast(column, Text).contains(user_id))
        if "workspace_id" in table.c:
            query = query.where(table.c.workspace_id == workspace_id)
        for row_key, value in session.execute(query).all():
            swapped = _swap(value, user_id, pseudonym)
            if swapped != value:
                session.execute(
                    update(table)
                    .where(key == row_key)
                    .values({line.column: swapped})
                    .execution_options(synchronize_session=False)
                )


def _forget_dm_channels(session: Session, *, workspace_id: int, user_id: str) -> None:
    """Drop cached DMs the person is in; outbox rows sent to their own DM lose the channel."""
    rows = session.execute(
        select(DmChannel.id, DmChannel.members_key, DmChannel.channel_id).where(
            DmChannel.workspace_id == workspace_id, DmChannel.members_key.contains(user_id)
        )
    ).all()
    mine = [(row_id, channel) for row_id, key, channel in rows if user_id in key.split(",")]
    own = [channel for _, key, channel in rows if key == user_id]
    if own:
        session.execute(
            update(Delivery)
            .where(Delivery.slack_channel.in_(own))
            .values(slack_channel=None, slack_ts=None)
            .execution_options(synchronize_session=False)
        )
    if mine:
        session.execute(delete(DmChannel).where(DmChannel.id.in_([i for i, _ in mine])))


def _is_appointed(session: Session, *, workspace_id: int, user_id: str) -> bool:
    return (
        session.scalar(
            select(Coordinator.id).where(
                Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
            )
        )
        is not None
    )


@dataclass(frozen=True)
class Erasure:
    found: bool  # twoway stored something under this Slack id
    participations: int
    ended_pair_ids: tuple[int, ...]
    partners: tuple[PartnerNotice, ...]
    texts_cleared: int


def erase_person(session: Session, *, workspace_id: int, user_id: str, now: datetime) -> Erasure:
    """End the person's pairs, blank their texts, replace their identity; irreversible.

    The partners to tell come back with the result: the caller plans their notes in
    this same transaction (they name no one and say nothing of why).
    """
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    appointed = _is_appointed(session, workspace_id=workspace_id, user_id=user_id)
    if member is None and not appointed:
        # Never a member: nothing of theirs beyond request logs; an outsider's click on an
        # old button changes nothing.
        return Erasure(False, 0, (), (), 0)
    participant_ids = (
        list(
            session.scalars(
                select(Participant.id)
                .where(Participant.member_id == member.id)
                .order_by(Participant.id)
            )
        )
        if member is not None
        else []
    )
    active = (
        list(
            session.scalars(
                select(Participant.id).where(
                    Participant.id.in_(participant_ids),
                    Participant.status != ParticipantStatus.LEFT,
                )
            )
        )
        if participant_ids
        else []
    )
    ended: tuple[int, ...] = ()
    partners: tuple[PartnerNotice, ...] = ()
    if active:
        left = leave(
            session, workspace_id=workspace_id, user_id=user_id, participant_ids=active, now=now
        )
        ended, partners = left.ended_pair_ids, left.partners
    cleared = blank_texts(session, participant_ids=participant_ids)
    if participant_ids:
        session.execute(
            update(Participant)
            .where(Participant.id.in_(participant_ids))
            .values(work_start=None, work_end=None, paused_until=None)
            .execution_options(synchronize_session=False)
        )
        for row in session.scalars(
            select(Delivery).where(
                Delivery.participant_id.in_(participant_ids),
                Delivery.status.in_([DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED]),
            )
        ):
            row.status, row.last_error, row.lease_until = (
                DeliveryStatus.CANCELLED,
                "participant erased",
                None,
            )
    pseudonym = new_pseudonym()
    replace_identity(session, workspace_id=workspace_id, user_id=user_id, pseudonym=pseudonym)
    replace_identity_in_json(
        session, workspace_id=workspace_id, user_id=user_id, pseudonym=pseudonym
    )
    session.execute(
        delete(Coordinator).where(
            Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
        )
    )
    _forget_dm_channels(session, workspace_id=workspace_id, user_id=user_id)
    if member is not None:
        member.slack_user_id = pseudonym
        member.display_name = None
        member.timezone = "UTC"
        member.is_slack_admin = False
        member.is_deleted = True
        member.profile_synced_at = None
        member.home_opened_at = None
    session.flush()
    return Erasure(True, len(participant_ids), ended, partners, cleared)


def months_after(instant: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    month_index = instant.month - 1 + months
    year, month = instant.year + month_index // 12, month_index % 12 + 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def programs_past_retention(session: Session, *, now: datetime) -> list[Program]:
    """Closed programs whose private texts are due for deletion and still there."""
    closed = session.scalars(
        select(Program)
        .where(
            Program.status == ProgramStatus.CLOSED,
            Program.closed_at.is_not(None),
            Program.private_texts_deleted_at.is_(None),
        )
        .order_by(Program.id)
    )
    return [
        p
        for p in closed
        if p.closed_at is not None and months_after(p.closed_at, p.retention_months) <= now
    ]


def delete_program_texts(session: Session, *, program: Program, now: datetime) -> int:
    """Blank the private texts of everyone in the program, once; the numbers stay."""
    participant_ids = list(
        session.scalars(select(Participant.id).where(Participant.program_id == program.id))
    )
    cleared = blank_texts(session, participant_ids=participant_ids)
    program.private_texts_deleted_at = now
    session.flush()
    return cleared


def deletion_due_on(program: Program) -> datetime | None:
    """When the program's private texts go (None while it is open)."""
    if program.closed_at is None:
        return None
    return months_after(program.closed_at, program.retention_months)
