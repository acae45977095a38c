"""Announcements and invitations in the database: drafts, the rows they plan, their counts.

Each recipient's copy is one deliveries row keyed by the announcement and the recipient
(an invitation by the program and the person), so a double click, two workers or a
restart never make a second copy. Rows carry ids; the text lives on the announcement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.announcement_audiences import Recipient, due_for, recipients_of
from bot.services.audit import record
from bot.services.deliveries import mark_cancelled, plan_many, plan_now
from models import Delivery, Member, Program
from models.announcement import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    Audience,
    SendMode,
)
from models.enums import DeliveryStatus, ProgramStatus

ANNOUNCEMENT = "announcement"  # delivery kinds: one copy for one recipient
INVITATION = "invitation"
PREVIEW = "announcement_preview"  # the preview in the admin channel (becomes the report)
REPORT = "invitation_report"  # an invitation's report in the admin channel
COPIES = (ANNOUNCEMENT, INVITATION)
SKIPPED = "skipped: "  # prefix of the reason of a copy not sent on purpose
OPEN = (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING)
PENDING = (DeliveryStatus.PLANNED, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class Draft:
    """What the coordinator asked for in the modal, checked."""

    program_id: int
    audience: Audience
    targets: tuple[str, ...]
    text: str
    link_label: str | None = None
    link_url: str | None = None
    send_mode: SendMode = SendMode.NOW
    send_on: date | None = None
    send_time: time | None = None
    send_at: datetime | None = None


@dataclass
class Counts:
    sent: int = 0
    pending: int = 0
    uncertain: int = 0
    cancelled: int = 0  # stopped by a cancel
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    failed: Counter[str] = field(default_factory=Counter)  # reason -> count

    @property
    def total(self) -> int:
        return (
            self.sent
            + self.pending
            + self.uncertain
            + self.cancelled
            + sum(self.skipped.values())
            + sum(self.failed.values())
        )


def period_of(announcement_id: int) -> str:
    """The `period` of every row an announcement planned (how its rows are found)."""
    return f"ann-{announcement_id}"


def copy_key(announcement: Announcement, recipient: Recipient) -> str:
    if announcement.kind == AnnouncementKind.INVITATION:
        return f"invitation:{announcement.program_id}:{recipient.key}"
    return f"announcement:{announcement.id}:{recipient.key}"


def load(session: Session, *, announcement_id: int, workspace_id: int) -> Announcement:
    announcement = session.get(Announcement, announcement_id)
    if announcement is None or announcement.workspace_id != workspace_id:
        raise NotFound("That announcement no longer exists.")
    return announcement


def timezone_of(session: Session, *, workspace_id: int, user_id: str) -> str:
    tz = session.scalar(
        select(Member.timezone).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == user_id
        )
    )
    return tz or "UTC"


def save_draft(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    draft: Draft,
    now: datetime,
    announcement_id: int | None = None,
) -> tuple[int, int | None]:
    """Store a new draft (its preview planned) or change an unsent one; (id, preview row)."""
    if announcement_id is None:
        announcement = Announcement(
            workspace_id=workspace_id, kind=AnnouncementKind.ANNOUNCEMENT, created_by=user_id
        )
        session.add(announcement)
    else:
        announcement = load(session, announcement_id=announcement_id, workspace_id=workspace_id)
        if announcement.status != AnnouncementStatus.DRAFT:
            raise NotFound("This announcement was already sent or cancelled; start a new one.")
    announcement.program_id = draft.program_id
    announcement.audience = draft.audience
    announcement.targets = list(draft.targets)
    announcement.text = draft.text
    announcement.link_label, announcement.link_url = draft.link_label, draft.link_url
    announcement.send_mode = draft.send_mode
    announcement.send_on, announcement.send_time = draft.send_on, draft.send_time
    announcement.send_at = draft.send_at
    session.flush()
    record(
        session,
        workspace_id=workspace_id,
        actor=user_id,
        action="admin.announce.edit" if announcement_id else "admin.announce",
        target_type="announcement",
        target_id=announcement.id,
        detail={"audience": draft.audience.value, "send_mode": draft.send_mode.value},
    )
    preview = None
    if announcement.preview_ts is None:
        preview = plan_now(
            session,
            workspace_id=workspace_id,
            kind=PREVIEW,
            key=f"announcement:{announcement.id}:preview:{now:%Y%m%dT%H%M%S%f}",
            now=now,
            period=period_of(announcement.id) + "-preview",
            payload={"announcement_id": announcement.id},
        )
    return announcement.id, preview


def record_preview(session: Session, *, announcement_id: int, channel: str, ts: str) -> None:
    announcement = session.get(Announcement, announcement_id)
    if announcement is not None:
        announcement.preview_channel, announcement.preview_ts = channel, ts


def preview_facts(session: Session, announcement: Announcement, now: datetime) -> list[Recipient]:
    return recipients_of(session, announcement, now)


@dataclass(frozen=True)
class Started:
    changed: bool  # False: an earlier click (or another worker) started it already
    status: AnnouncementStatus
    recipients: int = 0
    due_now: bool = False


def start(
    session: Session, *, announcement_id: int, workspace_id: int, user_id: str, now: datetime
) -> Started:
    """Send: plan one row per recipient, once. Only the first click moves a draft on."""
    announcement = load(session, announcement_id=announcement_id, workspace_id=workspace_id)
    moved = session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.status == AnnouncementStatus.DRAFT)
        .values(status=AnnouncementStatus.SENDING, decided_by=user_id, started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(announcement)
    if not moved:
        return Started(False, announcement.status, announcement.recipients)
    fallback = timezone_of(session, workspace_id=workspace_id, user_id=user_id)
    recipients = recipients_of(session, announcement, now)
    rows = []
    for recipient in recipients:
        rows.append(
            {
                "workspace_id": workspace_id,
                "kind": ANNOUNCEMENT,
                "unique_key": copy_key(announcement, recipient),
                "pair_id": recipient.pair_id,
                "participant_id": recipient.participant_id,
                "period": period_of(announcement.id),
                "due_at": due_for(announcement, recipient, now, fallback),
                "payload": _payload(announcement.id, recipient),
            }
        )
    for start_at in range(0, len(rows), 1000):
        plan_many(session, rows[start_at : start_at + 1000], now=now)
    due_now = any(row["due_at"] <= now for row in rows)
    announcement.recipients = len(rows)
    announcement.status = AnnouncementStatus.SENDING if due_now else AnnouncementStatus.SCHEDULED
    if not rows:
        announcement.status, announcement.finished_at = AnnouncementStatus.DONE, now
    record(
        session,
        workspace_id=workspace_id,
        actor=user_id,
        action="admin.announce.send",
        target_type="announcement",
        target_id=announcement.id,
        detail={"recipients": len(rows), "send_mode": announcement.send_mode.value},
    )
    return Started(True, announcement.status, len(rows), due_now)


def _payload(announcement_id: int, recipient: Recipient) -> dict[str, object]:
    payload: dict[str, object] = {"announcement_id": announcement_id}
    if recipient.user_id:
        payload["user_id"] = recipient.user_id
    if recipient.channel:
        payload["channel"] = recipient.channel
    return payload


@dataclass(frozen=True)
class Cancelled:
    before: AnnouncementStatus
    stopped: int  # copies that will not go
    sent: int  # copies that had gone already


def cancel(
    session: Session, *, announcement_id: int, workspace_id: int, user_id: str, now: datetime
) -> Cancelled:
    """Drop a draft, or stop what has not gone yet of a scheduled or sending one."""
    announcement = load(session, announcement_id=announcement_id, workspace_id=workspace_id)
    before = announcement.status
    stopped = 0
    if before in (AnnouncementStatus.DRAFT, *OPEN):
        for delivery in session.scalars(
            select(Delivery)
            .where(
                Delivery.kind.in_(COPIES),
                Delivery.period == period_of(announcement_id),
                Delivery.status == DeliveryStatus.PLANNED,
            )
            .with_for_update()
        ):
            mark_cancelled(session, delivery, reason="announcement cancelled")
            stopped += 1
        announcement.status, announcement.finished_at = AnnouncementStatus.CANCELLED, now
        announcement.decided_by = announcement.decided_by or user_id
        record(
            session,
            workspace_id=workspace_id,
            actor=user_id,
            action="admin.announce.cancel",
            target_type="announcement",
            target_id=announcement_id,
            detail={"stopped": stopped, "was": before.value},
        )
    return Cancelled(before, stopped, counts(session, announcement_id=announcement_id).sent)


def counts(session: Session, *, announcement_id: int) -> Counts:
    """How the copies went, by outcome, with the reasons of those skipped or failed."""
    out = Counts()
    rows = session.execute(
        select(Delivery.status, Delivery.last_error, func.count())
        .where(Delivery.kind.in_(COPIES), Delivery.period == period_of(announcement_id))
        .group_by(Delivery.status, Delivery.last_error)
    )
    for status, error, number in rows:
        if status == DeliveryStatus.SENT:
            out.sent += number
        elif status in PENDING:
            out.pending += number
        elif status == DeliveryStatus.UNCERTAIN:
            out.uncertain += number
        elif status == DeliveryStatus.CANCELLED and (error or "").startswith(SKIPPED):
            out.skipped[(error or "").removeprefix(SKIPPED)] += number
        elif status == DeliveryStatus.CANCELLED and error == "announcement cancelled":
            out.cancelled += number
        else:
            out.failed[error or "unknown"] += number
    return out


def settle(session: Session, *, announcement_id: int, now: datetime) -> AnnouncementStatus:
    """Done once no copy is left to send; scheduled becomes sending once one has gone."""
    announcement = session.get(Announcement, announcement_id)
    assert announcement is not None
    if announcement.status in OPEN:
        tally = counts(session, announcement_id=announcement_id)
        if tally.pending == 0:
            announcement.status, announcement.finished_at = AnnouncementStatus.DONE, now
        elif tally.sent and announcement.status == AnnouncementStatus.SCHEDULED:
            announcement.status = AnnouncementStatus.SENDING
    return announcement.status


def open_announcement_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Announcement.id).where(Announcement.status.in_(OPEN)).order_by(Announcement.id)
        )
    )


def recent(session: Session, *, workspace_id: int, limit: int = 15) -> list[Announcement]:
    return list(
        session.scalars(
            select(Announcement)
            .where(Announcement.workspace_id == workspace_id)
            .order_by(Announcement.id.desc())
            .limit(limit)
        )
    )


def program_names(session: Session, program_ids: list[int]) -> dict[int, str]:
    return dict(
        session.execute(select(Program.id, Program.name).where(Program.id.in_(program_ids))).all()
    )


@dataclass(frozen=True)
class ProgramFacts:
    """What an invitation says about the program."""

    id: int
    name: str
    minutes: int
    cadence: str
    weeks: int


def program_facts(session: Session, *, program_id: int) -> ProgramFacts | None:
    program = session.get(Program, program_id)
    if program is None:
        return None
    return ProgramFacts(
        program.id,
        program.name,
        program.session_minutes,
        program.cadence.value,
        program.length_weeks,
    )


def get_announcement(session: Session, *, announcement_id: int) -> Announcement | None:
    return session.get(Announcement, announcement_id)


def open_programs(session: Session, *, workspace_id: int) -> list[tuple[int, str]]:
    """Programs an announcement or invitation can be about (not closed), oldest first."""
    return [
        (pid, name)
        for pid, name in session.execute(
            select(Program.id, Program.name)
            .where(Program.workspace_id == workspace_id, Program.status != ProgramStatus.CLOSED)
            .order_by(Program.id)
        )
    ]


def draft_of(announcement: Announcement) -> Draft:
    return Draft(
        announcement.program_id,
        announcement.audience,
        tuple(announcement.targets or ()),
        announcement.text or "",
        announcement.link_label,
        announcement.link_url,
        announcement.send_mode,
        announcement.send_on,
        announcement.send_time,
        announcement.send_at,
    )
