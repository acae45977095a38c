"""Celebrations: a win drafted by one partner, posted only once every member approved it.

Every message is an outbox row holding ids (celebration, version, recipient); the texts
are read from this table at send time, so a withdrawn or declined win is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.deliveries import plan_now
from bot.services.pairs import PairDetails, PairPerson, pair_details, pair_for_member
from models import Celebration, Goal, Program
from models.celebration import CelebrationStatus

OFFER = "celebration_offer"  # "Celebrate this?" to a goal's owner, once per goal
REVIEW = "celebration_review"  # one per member per version of the text, in their own DM
CLOSED = "celebration_closed"  # "X declined / withdrew it": to the other members
POST = "celebration_post"  # the public post: at most once, ever
NO_CHANNEL = "celebration_no_channel"  # coordinators: a win waits for a channel

WHAT_MAX = 1500
FOR_WHOM_MAX = 300


@dataclass(frozen=True)
class CelebrationView:
    id: int
    workspace_id: int
    program_id: int
    program_name: str
    channel_id: str | None  # the program's celebration channel
    pair: PairDetails
    drafted_by_id: int
    what_changed: str
    for_whom: str
    status: CelebrationStatus
    version: int
    approved_ids: tuple[int, ...]
    closed_by_id: int | None
    posted_at: datetime | None

    def person(self, participant_id: int | None) -> PairPerson | None:
        return next((p for p in self.pair.people if p.participant_id == participant_id), None)

    @property
    def waiting_for(self) -> tuple[PairPerson, ...]:
        return tuple(p for p in self.pair.people if p.participant_id not in self.approved_ids)


@dataclass(frozen=True)
class Outcome:
    """What an action did: `result` names it for the view; rows to send after the commit."""

    result: str
    celebration: CelebrationView
    delivery_ids: tuple[int, ...] = ()


def _view(session: Session, row: Celebration) -> CelebrationView:
    program = session.get(Program, row.program_id)
    assert program is not None
    return CelebrationView(
        id=row.id,
        workspace_id=row.workspace_id,
        program_id=row.program_id,
        program_name=program.name,
        channel_id=program.celebration_channel_id,
        pair=pair_details(session, row.pair_id),
        drafted_by_id=row.drafted_by_id,
        what_changed=row.what_changed,
        for_whom=row.for_whom,
        status=row.status,
        version=row.version,
        approved_ids=tuple(row.approved_ids or ()),
        closed_by_id=row.closed_by_id,
        posted_at=row.posted_at,
    )


def celebration(session: Session, celebration_id: int) -> CelebrationView | None:
    row = session.get(Celebration, celebration_id)
    return _view(session, row) if row is not None else None


def for_member(session: Session, *, celebration_id: int, user_id: str) -> CelebrationView:
    """The win, only for a member of its pair (ids from buttons are never trusted)."""
    row = session.get(Celebration, celebration_id)
    if row is None:
        raise NotFound("That win no longer exists.")
    pair_for_member(session, pair_id=row.pair_id, user_id=user_id)
    return _view(session, row)


def _locked(session: Session, celebration_id: int, user_id: str) -> tuple[Celebration, PairPerson]:
    """The row, locked for this change, and the person, only if they are in its pair."""
    row = session.scalar(
        select(Celebration).where(Celebration.id == celebration_id).with_for_update()
    )
    if row is None:
        raise NotFound("That win no longer exists.")
    _, person = pair_for_member(session, pair_id=row.pair_id, user_id=user_id)
    return row, person


def goal_to_celebrate(
    session: Session, *, goal_id: int, user_id: str
) -> tuple[PairDetails, PairPerson, str]:
    """The goal's pair, the person (a member of it) and the goal's text, for the draft form."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("That goal no longer exists.")
    pair, person = pair_for_member(session, pair_id=goal.pair_id, user_id=user_id)
    return pair, person, goal.text


def plan_offer(session: Session, *, workspace_id: int, goal_id: int, now: datetime) -> int | None:
    """ "Celebrate this?" to the owner of a goal just achieved; once per goal, ever."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        return None
    return plan_now(
        session,
        workspace_id=workspace_id,
        kind=OFFER,
        key=f"goal:{goal.id}:{OFFER}",
        now=now,
        pair_id=goal.pair_id,
        participant_id=goal.owner_id,
        payload={"goal_id": goal.id},
    )


def _plan_reviews(session: Session, row: Celebration, *, now: datetime) -> list[int]:
    """Each member's copy of this version: buttons to approve it, or to withdraw their own."""
    ids = []
    for person in pair_details(session, row.pair_id).people:
        planned = plan_now(
            session,
            workspace_id=row.workspace_id,
            kind=REVIEW,
            key=f"celebration:{row.id}:v{row.version}:{REVIEW}:{person.participant_id}",
            now=now,
            pair_id=row.pair_id,
            participant_id=person.participant_id,
            payload={"celebration_id": row.id, "version": row.version},
        )
        if planned is not None:
            ids.append(planned)
    return ids


def draft(
    session: Session,
    *,
    workspace_id: int,
    pair_id: int,
    user_id: str,
    goal_id: int | None,
    what_changed: str,
    for_whom: str,
    now: datetime,
) -> Outcome:
    """A new win, approved by its author; every member gets their copy of it."""
    pair, person = pair_for_member(session, pair_id=pair_id, user_id=user_id)
    if goal_id is not None:
        goal = session.get(Goal, goal_id)
        goal_id = goal.id if goal is not None and goal.pair_id == pair.id else None
    row = Celebration(
        workspace_id=workspace_id,
        program_id=pair.program_id,
        pair_id=pair.id,
        goal_id=goal_id,
        drafted_by_id=person.participant_id,
        what_changed=what_changed[:WHAT_MAX],
        for_whom=for_whom[:FOR_WHOM_MAX],
        status=CelebrationStatus.PENDING,
        version=1,
        approved_ids=[person.participant_id],
    )
    session.add(row)
    session.flush()
    return Outcome("drafted", _view(session, row), tuple(_plan_reviews(session, row, now=now)))


def _refusal(row: Celebration, version: int | None) -> str | None:
    if row.status == CelebrationStatus.APPROVED:
        return "already_approved"
    if row.status != CelebrationStatus.PENDING:
        return "closed"
    if version is not None and version != row.version:
        return "stale"
    return None


def approve(
    session: Session, *, celebration_id: int, version: int, user_id: str, now: datetime
) -> Outcome:
    """Approve this version; the last approval plans the post (or tells coordinators)."""
    row, person = _locked(session, celebration_id, user_id)
    refused = _refusal(row, version)
    if refused:
        return Outcome(refused, _view(session, row))
    if person.participant_id in (row.approved_ids or []):
        return Outcome("waiting", _view(session, row))
    row.approved_ids = [*(row.approved_ids or []), person.participant_id]
    everyone = {p.participant_id for p in pair_details(session, row.pair_id).people}
    if not everyone <= set(row.approved_ids):  # a trio: the third has yet to say yes
        return Outcome("waiting", _view(session, row))
    row.status = CelebrationStatus.APPROVED
    row.approved_at = now
    view = _view(session, row)
    kind, key = (POST, f"celebration:{row.id}:{POST}")
    if view.channel_id is None:
        kind, key = (NO_CHANNEL, f"celebration:{row.id}:{NO_CHANNEL}")
    planned = plan_now(
        session,
        workspace_id=row.workspace_id,
        kind=kind,
        key=key,
        now=now,
        pair_id=row.pair_id,
        payload={"celebration_id": row.id, "program_id": row.program_id},
    )
    result = "approved" if view.channel_id else "no_channel"
    return Outcome(result, view, (planned,) if planned is not None else ())


def edit(
    session: Session,
    *,
    celebration_id: int,
    version: int,
    user_id: str,
    what_changed: str,
    for_whom: str,
    now: datetime,
) -> Outcome:
    """A member rewrites the text: a new version that only the editor has approved so far."""
    row, person = _locked(session, celebration_id, user_id)
    refused = _refusal(row, version)
    if refused:
        return Outcome(refused, _view(session, row))
    row.what_changed = what_changed[:WHAT_MAX]
    row.for_whom = for_whom[:FOR_WHOM_MAX]
    row.version += 1
    row.approved_ids = [person.participant_id]
    session.flush()
    return Outcome("edited", _view(session, row), tuple(_plan_reviews(session, row, now=now)))


def close(
    session: Session,
    *,
    celebration_id: int,
    user_id: str,
    status: CelebrationStatus,
    now: datetime,
) -> Outcome:
    """Decline (while pending) or withdraw (until posted): nothing is ever posted after."""
    row, person = _locked(session, celebration_id, user_id)
    if row.posted_at is not None:
        return Outcome("posted", _view(session, row))
    if row.status in (CelebrationStatus.DECLINED, CelebrationStatus.WITHDRAWN):
        return Outcome("closed", _view(session, row))
    if status == CelebrationStatus.DECLINED and row.status != CelebrationStatus.PENDING:
        return Outcome("already_approved", _view(session, row))
    row.status = status
    row.closed_by_id = person.participant_id
    ids = []
    for other in pair_details(session, row.pair_id).people:
        if other.participant_id == person.participant_id:
            continue
        planned = plan_now(
            session,
            workspace_id=row.workspace_id,
            kind=CLOSED,
            key=f"celebration:{row.id}:{CLOSED}:{other.participant_id}",
            now=now,
            pair_id=row.pair_id,
            participant_id=other.participant_id,
            payload={"celebration_id": row.id},
        )
        if planned is not None:
            ids.append(planned)
    return Outcome(status.value, _view(session, row), tuple(ids))


def record_posted(
    session: Session, *, celebration_id: int, channel: str, ts: str, now: datetime
) -> None:
    row = session.get(Celebration, celebration_id)
    if row is not None:
        row.posted_at, row.slack_channel, row.slack_ts = now, channel, ts


def set_channel(
    session: Session, *, workspace_id: int, program_id: int, channel_id: str | None
) -> str | None:
    """Set the program's celebration channel (None: none); the previous one."""
    program = session.get(Program, program_id)
    if program is None or program.workspace_id != workspace_id:
        raise NotFound("That program no longer exists.")
    previous = program.celebration_channel_id
    program.celebration_channel_id = channel_id
    return previous
