"""Plan every active pair's session nudges and agendas as outbox rows, in bulk.

One pass reads all active pairs in a handful of queries, works out the current and
the next cadence period of each, and inserts the rows that are missing in one
statement: the unique key (pair, kind, period) makes a row exist once, whatever the
number of planners, ticks or clock jumps.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.rhythm.cadence import Period, period_of
from bot.rhythm.slots import Availability, Slot, nudge_time, propose_slots
from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.pairs import PairDetails, PairPerson, pair_details_many
from bot.services.sessions import planned_times
from models import Delivery, Pair, Program, Workspace
from models.enums import DeliveryStatus, PairStatus, ProgramStatus, WorkspaceStatus

NUDGE = "session_nudge"
AGENDA = "agenda"
AGENDA_LEAD = timedelta(hours=1)  # an agenda arrives this long before a planned session
AGENDA_WITHOUT_TIME = timedelta(days=1)  # ...or a day after the nudge when no time was picked
FIRST_NUDGE_DELAY = timedelta(hours=1)  # never on top of the introduction
SLOT_LEAD = timedelta(hours=2)  # proposed slots start at least this far ahead
SLOT_HORIZON = timedelta(days=21)  # a slot further ahead than this is not one we offered


def availability(person: PairPerson) -> Availability:
    return Availability(
        timezone=person.timezone,
        work_start=person.work_start or time(9),
        work_end=person.work_end or time(17),
    )


def active_pair_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Pair.id)
            .join(Program, Program.id == Pair.program_id)
            .join(Workspace, Workspace.id == Program.workspace_id)
            .where(
                Pair.status == PairStatus.ACTIVE,
                Pair.started_at.is_not(None),
                Program.status != ProgramStatus.CLOSED,
                Workspace.status == WorkspaceStatus.ACTIVE,
            )
        )
    )


def current_period(pair: PairDetails, now: datetime) -> Period:
    """The pair's period at `now`. Periods are counted in UTC days from the pair's start,
    the same for both people, so a button's period key means the same to everyone."""
    assert pair.started_at is not None
    anchor = pair.started_at.date()
    return period_of(pair.cadence, anchor=anchor, on=max(now.date(), anchor))


def periods_to_plan(pair: PairDetails, now: datetime) -> list[Period]:
    assert pair.started_at is not None
    current = current_period(pair, now)
    following = period_of(pair.cadence, anchor=pair.started_at.date(), on=current.ends_on)
    return [current, following]


def offered_slots(pair: PairDetails, now: datetime) -> list[Slot]:
    """The times *Pick a time* offers as of `now` (computed when the offer is sent)."""
    return propose_slots(
        [availability(p) for p in pair.people], after=now + SLOT_LEAD, minutes=pair.session_minutes
    )


def nudge_for(pair: PairDetails, period: Period) -> Slot:
    assert pair.started_at is not None
    start = max(period.starts_on, pair.started_at.date())
    return nudge_time(
        [availability(p) for p in pair.people], period_start=start, minutes=pair.session_minutes
    )


def _in_period(moment: datetime, period: Period) -> bool:
    return period.starts_on <= moment.date() < period.ends_on


def agenda_sent(session: Session, *, pair_id: int, period_key: str) -> bool:
    """Whether this period's agenda already went out (it is sent once per period: a time
    picked after it gets no second one)."""
    key = delivery_key(AGENDA, period=period_key, pair_id=pair_id)
    status = session.scalar(select(Delivery.status).where(Delivery.unique_key == key))
    return status == DeliveryStatus.SENT


def plan_rhythm(session: Session, *, now: datetime) -> int:
    """Plan missing nudges and agendas for the current and next period of every active pair.

    Keys are checked first, so the slot search (the costly part) runs only for rows that
    do not exist yet: a pass over pairs that are all planned is a handful of queries.
    """
    ids = active_pair_ids(session)
    if not ids:
        return 0
    pairs = pair_details_many(session, ids)
    planned_sessions = planned_times(session, ids, since=now - timedelta(days=45))
    wanted = [(pair, period) for pair in pairs.values() for period in periods_to_plan(pair, now)]
    known = existing_keys(
        session,
        [
            delivery_key(kind, period=period.key, pair_id=pair.id)
            for pair, period in wanted
            for kind in (NUDGE, AGENDA)
        ],
    )
    rows: list[dict[str, object]] = []
    agenda_moves: dict[str, datetime] = {}
    for pair, period in wanted:
        assert pair.started_at is not None
        nudge_key = delivery_key(NUDGE, period=period.key, pair_id=pair.id)
        agenda_key = delivery_key(AGENDA, period=period.key, pair_id=pair.id)
        session_times = [t for t in planned_sessions.get(pair.id, []) if _in_period(t, period)]
        if session_times:
            agenda_moves[agenda_key] = min(session_times) - AGENDA_LEAD
        if nudge_key in known and agenda_key in known:
            continue
        slot = nudge_for(pair, period)
        nudge_due = max(slot.start, pair.started_at + FIRST_NUDGE_DELAY)
        base = {"workspace_id": pair.workspace_id, "pair_id": pair.id, "period": period.key}
        if nudge_key not in known:
            rows.append(
                base
                | {
                    "kind": NUDGE,
                    "unique_key": nudge_key,
                    "due_at": nudge_due,
                    "payload": {
                        "fits_everyone": slot.fits_everyone,
                        "period_ends_on": period.ends_on.isoformat(),
                    },
                }
            )
        if agenda_key not in known:
            rows.append(
                base
                | {
                    "kind": AGENDA,
                    "unique_key": agenda_key,
                    "due_at": agenda_moves.get(agenda_key, nudge_due + AGENDA_WITHOUT_TIME),
                    "payload": {"period_index": period.index},
                }
            )
    planned = plan_many(session, rows, now=now)
    _move_agendas(session, {k: v for k, v in agenda_moves.items() if k in known})
    return planned


def _move_agendas(session: Session, wanted: dict[str, datetime]) -> None:
    """A time was picked after the agenda was planned: bring the agenda to just before it."""
    if not wanted:
        return
    rows = session.execute(
        select(Delivery.id, Delivery.unique_key, Delivery.due_at).where(
            Delivery.unique_key.in_(list(wanted)), Delivery.status == DeliveryStatus.PLANNED
        )
    )
    for delivery_id, key, due_at in rows:
        if due_at != wanted[key]:
            session.execute(
                update(Delivery).where(Delivery.id == delivery_id).values(due_at=wanted[key])
            )
