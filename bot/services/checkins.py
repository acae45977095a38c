"""Check-ins after a session: planned per person, answered once, saved in one transaction.

A check-in exists once per (session, participant): the unique constraint settles two
threads, `first_time(view id)` a modal submitted twice. What a person wrote is kept in
their own tables (learning log, action items, feedback) and never logged. What a saved
check-in tells people is planned by `bot.services.checkin_outbox` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.action_items import add_action_item
from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.feedback import FeedbackParts, give_feedback
from bot.services.idempotency import first_time
from bot.services.learnings import add_learning
from bot.services.pairs import CURRENT, PairDetails, PairPerson, pair_for_member
from bot.services.sessions import SessionView
from models import ActionItem, CheckIn, Learning, MentoringSession, Pair, Program, Workspace
from models.enums import (
    ActionStatus,
    CheckInOutcome,
    PairStatus,
    ProgramStatus,
    SessionStatus,
    Visibility,
    WorkspaceStatus,
)

CHECKIN = "checkin"
RECENT = timedelta(days=14)  # sessions older than this get no check-in any more
AFTER_PLANNED = timedelta(minutes=15)  # a planned session's check-in comes this long after it
ANSWERABLE = (*CURRENT, PairStatus.ENDED)  # a check-in sent before a rotation stays answerable


@dataclass(frozen=True)
class CheckInAnswer:
    outcome: CheckInOutcome
    minutes: int | None
    learning: str | None
    share_learning: bool
    action: str | None
    action_due: date | None
    feedback: FeedbackParts | None


@dataclass(frozen=True)
class SavedCheckIn:
    checkin_id: int
    learning_id: int | None
    learning_shared: bool
    action_item_id: int | None
    action_due: date | None
    feedback_ids: tuple[int, ...]


@dataclass(frozen=True)
class CheckInTarget:
    """A session and the person answering for it, checked to be a member of its pair."""

    session: SessionView
    pair: PairDetails
    person: PairPerson

    @property
    def partners(self) -> tuple[PairPerson, ...]:
        return self.pair.partners_of(self.person.user_id)


def checkin_period(session_id: int) -> str:
    return f"session-{session_id}"


def session_views(session: Session, session_ids: Iterable[int]) -> dict[int, SessionView]:
    """Sessions by id, for a check-in or a batch of them."""
    ids = list(set(session_ids))
    if not ids:
        return {}
    rows = session.scalars(select(MentoringSession).where(MentoringSession.id.in_(ids)))
    return {
        row.id: SessionView(
            row.id, row.pair_id, row.status, row.scheduled_at, row.held_at, row.minutes
        )
        for row in rows
    }


def target_for_member(session: Session, *, session_id: int, user_id: str) -> CheckInTarget:
    view = session_views(session, [session_id]).get(session_id)
    if view is None:
        raise NotFound("That session no longer exists.")
    pair, person = pair_for_member(
        session, pair_id=view.pair_id, user_id=user_id, statuses=ANSWERABLE
    )
    return CheckInTarget(view, pair, person)


def has_answered(session: Session, *, session_id: int, participant_id: int) -> bool:
    found = session.scalar(
        select(CheckIn.id).where(
            CheckIn.session_id == session_id, CheckIn.participant_id == participant_id
        )
    )
    return found is not None


def answered_among(session: Session, session_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(session, participant) pairs that have a check-in, for a batch of sessions."""
    ids = list(set(session_ids))
    if not ids:
        return set()
    rows = session.execute(
        select(CheckIn.session_id, CheckIn.participant_id).where(CheckIn.session_id.in_(ids))
    )
    return {(session_id, participant_id) for session_id, participant_id in rows}


def save_checkin(
    session: Session, *, target: CheckInTarget, answer: CheckInAnswer, view_id: str
) -> SavedCheckIn | None:
    """Everything a check-in says, in the caller's transaction; None when it was saved before."""
    if not first_time(session, key=f"view:{view_id}", kind=CHECKIN):
        return None
    person, pair = target.person, target.pair
    if has_answered(session, session_id=target.session.id, participant_id=person.participant_id):
        return None
    checkin = CheckIn(
        session_id=target.session.id,
        participant_id=person.participant_id,
        outcome=answer.outcome,
        minutes=answer.minutes,
    )
    try:
        with session.begin_nested():
            session.add(checkin)
    except IntegrityError:  # the same person answered in another thread a moment ago
        return None
    # The links are set together once everything exists: one UPDATE of the check-in, not one
    # per part (each add flushes).
    learning_id = action_item_id = None
    if answer.learning:
        learning_id = add_learning(
            session,
            participant_id=person.participant_id,
            pair_id=pair.id,
            session_id=target.session.id,
            text=answer.learning,
            visibility=Visibility.PAIR if answer.share_learning else Visibility.PRIVATE,
        ).id
    if answer.action:
        action_item_id = add_action_item(
            session,
            owner_id=person.participant_id,
            pair_id=pair.id,
            session_id=target.session.id,
            text=answer.action,
            due_on=answer.action_due,
        ).id
    feedback_ids: list[int] = []
    if answer.feedback is not None:
        feedback_ids = give_feedback(
            session,
            pair_id=pair.id,
            from_id=person.participant_id,
            to_ids=[p.participant_id for p in target.partners],
            session_id=target.session.id,
            parts=answer.feedback,
        )
    checkin.learning_id, checkin.action_item_id = learning_id, action_item_id
    checkin.feedback_id = feedback_ids[0] if feedback_ids else None
    if answer.outcome == CheckInOutcome.MET:
        row = session.get(MentoringSession, target.session.id)
        if row is not None and row.status == SessionStatus.PLANNED:
            row.status = SessionStatus.HELD
            row.held_at = row.scheduled_at
    session.flush()
    return SavedCheckIn(
        checkin_id=checkin.id,
        learning_id=checkin.learning_id,
        learning_shared=bool(answer.learning and answer.share_learning),
        action_item_id=checkin.action_item_id,
        action_due=answer.action_due,
        feedback_ids=tuple(feedback_ids),
    )


def _sessions_due(session: Session, now: datetime) -> list[Any]:
    """Held or past planned sessions of active pairs, recent ones only, with their people."""
    since = now - RECENT
    return list(
        session.execute(
            select(
                MentoringSession.id,
                MentoringSession.status,
                MentoringSession.scheduled_at,
                MentoringSession.held_at,
                MentoringSession.minutes,
                Pair.id,
                Pair.junior_id,
                Pair.senior_id,
                Pair.third_id,
                Program.workspace_id,
            )
            .join(Pair, Pair.id == MentoringSession.pair_id)
            .join(Program, Program.id == Pair.program_id)
            .join(Workspace, Workspace.id == Program.workspace_id)
            .where(
                Pair.status == PairStatus.ACTIVE,
                Program.status != ProgramStatus.CLOSED,
                Workspace.status == WorkspaceStatus.ACTIVE,
                or_(
                    (MentoringSession.status == SessionStatus.HELD)
                    & (MentoringSession.held_at <= now)
                    & (MentoringSession.held_at >= since),
                    (MentoringSession.status == SessionStatus.PLANNED)
                    & (MentoringSession.scheduled_at <= now)
                    & (MentoringSession.scheduled_at >= since),
                ),
            )
        )
    )


def plan_checkin_deliveries(session: Session, *, now: datetime) -> int:
    """One check-in per person for every session that took place (or should have)."""
    rows: list[dict[str, Any]] = []
    for (
        session_id,
        status,
        scheduled_at,
        held_at,
        minutes,
        pair_id,
        *people,
        workspace_id,
    ) in _sessions_due(session, now):
        if status == SessionStatus.HELD:
            due_at = held_at
        else:
            ends_at = scheduled_at + timedelta(minutes=minutes or 0)
            if ends_at > now:
                continue
            due_at = ends_at + AFTER_PLANNED
        period = checkin_period(session_id)
        for participant_id in people:
            if participant_id is None:
                continue
            rows.append(
                {
                    "workspace_id": workspace_id,
                    "kind": CHECKIN,
                    "unique_key": delivery_key(
                        CHECKIN, period=period, participant_id=participant_id
                    ),
                    "pair_id": pair_id,
                    "participant_id": participant_id,
                    "period": period,
                    "due_at": due_at,
                    "payload": {"session_id": session_id, "pair_id": pair_id},
                }
            )
    known = existing_keys(session, [row["unique_key"] for row in rows])
    return plan_many(session, [row for row in rows if row["unique_key"] not in known], now=now)


def pair_record(session: Session, pair_id: int) -> dict[str, int]:
    """What a pair has to show for itself, for reports: counts only, never what was written."""
    held = session.scalar(
        select(func.count())
        .select_from(MentoringSession)
        .where(MentoringSession.pair_id == pair_id, MentoringSession.status == SessionStatus.HELD)
    )
    done = session.scalar(
        select(func.count())
        .select_from(ActionItem)
        .where(ActionItem.pair_id == pair_id, ActionItem.status == ActionStatus.DONE)
    )
    learnings = session.scalar(
        select(func.count()).select_from(Learning).where(Learning.pair_id == pair_id)
    )
    return {
        "held_sessions": held or 0,
        "done_action_items": done or 0,
        "learnings": learnings or 0,
    }
