"""Match previews as data: what a preview shows, where it was posted, and when rotation is due.

The preview message and its CSV are outbox rows: `plan_preview` plans the post in
the transaction that proposes the round, and the post's `on_sent` records where it
landed (`record_preview`) and, for a preview too long for one message, plans its CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.services.deliveries import plan_now
from bot.services.match_runs import propose_round
from bot.services.pairs import pair_details_many
from bot.services.programs import find_program, next_rotation_on
from models import Delivery, MatchRun, Pair, Program
from models.enums import MatchRunStatus, ProgramStatus

PREVIEW_KIND = "match_preview"
CSV_KIND = "match_preview_csv"


@dataclass(frozen=True)
class PreviewPair:
    junior: str  # Slack user ids
    senior: str
    third: str | None
    junior_department: str
    senior_department: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchPreview:
    run_id: int
    program_name: str
    round: int
    rotation: bool
    pairs: list[PreviewPair]
    unmatched: list[dict[str, str]]  # {"key", "role", "reason"}
    total_score: float
    trios_allowed: bool
    same_role_allowed: bool = False


@dataclass(frozen=True)
class ProgramToMatch:
    id: int
    name: str
    current_round: int


@dataclass(frozen=True)
class RunState:
    """A matching run as a button sees it: is it still open, and where is its preview."""

    id: int
    program_id: int
    status: MatchRunStatus
    preview_channel: str | None
    preview_ts: str | None


@dataclass(frozen=True)
class DueRotation:
    program_id: int
    workspace_id: int
    next_round: int


def program_to_match(session: Session, *, workspace_id: int, name: str | None) -> ProgramToMatch:
    """The open program a coordinator named (or the only open one)."""
    program = find_program(session, workspace_id=workspace_id, name=name)
    return ProgramToMatch(program.id, program.name, program.current_round)


def preview_key(run_id: int) -> str:
    return f"match_run:{run_id}:preview"


def csv_key(run_id: int) -> str:
    return f"match_run:{run_id}:csv"


def propose_preview(
    session: Session,
    *,
    program_id: int,
    workspace_id: int,
    created_by: str,
    channel: str,
    now: datetime,
    allow_trios: bool = False,
    allow_same_role: bool = False,
) -> tuple[int, int | None]:
    """Propose the next round and plan its preview post in `channel`: (run id, delivery id)."""
    run = propose_round(
        session,
        program_id=program_id,
        workspace_id=workspace_id,
        created_by=created_by,
        now=now,
        allow_trios=allow_trios,
        allow_same_role=allow_same_role,
    )
    delivery_id = plan_now(
        session,
        workspace_id=workspace_id,
        kind=PREVIEW_KIND,
        key=preview_key(run.id),
        now=now,
        payload={"run_id": run.id, "channel": channel},
    )
    return run.id, delivery_id


def plan_preview_csv(
    session: Session, *, run_id: int, workspace_id: int, channel: str, now: datetime
) -> int | None:
    """Plan the CSV of every proposed pair, shared where the preview went (once per run)."""
    return plan_now(
        session,
        workspace_id=workspace_id,
        kind=CSV_KIND,
        key=csv_key(run_id),
        now=now,
        payload={"run_id": run_id, "channel": channel},
    )


def planned_csv_id(session: Session, *, run_id: int) -> int | None:
    """The CSV row the preview's send planned, if it did (a short preview has none)."""
    return session.scalar(select(Delivery.id).where(Delivery.unique_key == csv_key(run_id)))


def run_state(session: Session, *, run_id: int, workspace_id: int) -> RunState | None:
    """The run, only if it belongs to this workspace (ids from buttons are never trusted)."""
    row = session.execute(
        select(MatchRun, Program.workspace_id)
        .join(Program, Program.id == MatchRun.program_id)
        .where(MatchRun.id == run_id)
    ).first()
    if row is None or row[1] != workspace_id:
        return None
    run = row[0]
    return RunState(run.id, run.program_id, run.status, run.preview_channel, run.preview_ts)


def record_preview(session: Session, *, run_id: int, channel: str, ts: str) -> None:
    """Remember where the preview landed, so a decision can edit it later."""
    run = session.get(MatchRun, run_id)
    if run is not None:
        run.preview_channel, run.preview_ts = channel, ts


def preview_of(session: Session, *, run_id: int) -> MatchPreview:
    """Everything the preview message and its CSV show, read in a few queries."""
    run = session.get(MatchRun, run_id)
    program = session.get(Program, run.program_id) if run else None
    if run is None or program is None:
        raise NotFound("That match preview no longer exists.")
    pairs = list(session.scalars(select(Pair).where(Pair.match_run_id == run.id).order_by(Pair.id)))
    found = pair_details_many(session, [p.id for p in pairs])
    shown = []
    for pair in pairs:
        people = found[pair.id].people
        junior, senior = people[0], people[1]
        shown.append(
            PreviewPair(
                junior=junior.user_id,
                senior=senior.user_id,
                third=people[2].user_id if len(people) > 2 else None,
                junior_department=junior.department,
                senior_department=senior.department,
                score=pair.match_score or 0.0,
                reasons=found[pair.id].reasons,
            )
        )
    return MatchPreview(
        run_id=run.id,
        program_name=program.name,
        round=run.round,
        rotation=run.round > 1,
        pairs=shown,
        unmatched=list(run.unmatched),
        total_score=run.total_score,
        trios_allowed=bool(run.options.get("allow_trios")),
        same_role_allowed=bool(run.options.get("allow_same_role")),
    )


def rotations_due(session: Session, *, on: date) -> list[DueRotation]:
    """Active programs whose next rotation date is `on` or earlier."""
    programs = session.scalars(
        select(Program).where(Program.status == ProgramStatus.ACTIVE, Program.current_round >= 1)
    )
    due = []
    for program in programs:
        rotates_on = next_rotation_on(program)
        if rotates_on is not None and rotates_on <= on:
            due.append(DueRotation(program.id, program.workspace_id, program.current_round + 1))
    return due


def propose_rotation(
    session: Session, *, program_id: int | None, workspace_id: int, next_round: str, now: datetime
) -> int | str:
    """Propose the rotation's round as the scheduler asked: the run id, or why not any more.

    `next_round` is the row's period (`round-N`): a round confirmed meanwhile moved on.
    """
    program = session.get(Program, program_id) if program_id else None
    if program is None or program.status != ProgramStatus.ACTIVE:
        return "program is not active"
    if next_round != f"round-{program.current_round + 1}":
        return "the round already moved on"
    run = propose_round(
        session, program_id=program.id, workspace_id=workspace_id, created_by=None, now=now
    )
    return run.id
