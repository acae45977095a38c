"""Matching rounds as a coordinator sees them: propose (preview), confirm, re-run, cancel.

Nothing reaches participants before Confirm: proposing only writes a MatchRun and
PROPOSED pairs; confirming flips them to ACTIVE, ends the previous round's pairs
(rotation) and plans each new pair's introduction in the deliveries outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.errors import NotFound
from bot.matching import (
    Candidate,
    MatchResult,
    MatchRules,
    ProposedPair,
    Unmatched,
    match,
    match_within,
)
from bot.services.deliveries import plan_delivery
from bot.topics import topic_key
from models import MatchRun, Member, Pair, Participant, Program
from models.enums import MatchRunStatus, PairStatus, ParticipantStatus, ProgramStatus

MET_STATUSES = (PairStatus.ACTIVE, PairStatus.PAUSED, PairStatus.ENDED)


@dataclass(frozen=True)
class RoundPeople:
    seniors: list[Candidate]
    juniors: list[Candidate]
    participant_by_key: dict[str, int]


def _offset_minutes(timezone: str, at: datetime) -> int:
    try:
        offset = at.astimezone(ZoneInfo(timezone)).utcoffset()
    except (KeyError, ValueError):  # unknown tz name: treat as UTC rather than fail the round
        return 0
    return int(offset.total_seconds() // 60) if offset else 0


def _candidate(participant: Participant, member: Member, at: datetime) -> Candidate:
    start = participant.work_start
    end = participant.work_end
    return Candidate(
        key=member.slack_user_id,
        role=participant.role.value,
        department=participant.department,
        can_share=frozenset(topic_key(t) for t in participant.can_share),
        wants_to_learn=frozenset(topic_key(t) for t in participant.wants_to_learn),
        languages=frozenset(participant.languages or ["en"]),
        utc_offset_minutes=_offset_minutes(member.timezone, at),
        work_start_minute=start.hour * 60 + start.minute if start else 9 * 60,
        work_end_minute=end.hour * 60 + end.minute if end else 17 * 60,
        avoid=frozenset(participant.avoid_user_ids or []),
    )


def round_people(session: Session, program: Program, at: datetime) -> RoundPeople:
    """Active participants only: paused and departed people are never matched."""
    rows = session.execute(
        select(Participant, Member)
        .join(Member, Member.id == Participant.member_id)
        .where(
            Participant.program_id == program.id,
            Participant.status == ParticipantStatus.ACTIVE,
            Member.is_deleted.is_(False),
        )
        .order_by(Participant.id)
    ).all()
    seniors, juniors, by_key = [], [], {}
    for participant, member in rows:
        candidate = _candidate(participant, member, at)
        (seniors if candidate.role == "senior" else juniors).append(candidate)
        by_key[candidate.key] = participant.id
    return RoundPeople(seniors, juniors, by_key)


def past_pairs(session: Session, program: Program, now: datetime) -> frozenset[frozenset[str]]:
    """Every pair of this program's earlier rounds, and recent pairs of other programs."""
    senior, junior = aliased(Participant), aliased(Participant)
    senior_member, junior_member = aliased(Member), aliased(Member)
    rows = session.execute(
        select(senior_member.slack_user_id, junior_member.slack_user_id)
        .select_from(Pair)
        .join(senior, senior.id == Pair.senior_id)
        .join(junior, junior.id == Pair.junior_id)
        .join(senior_member, senior_member.id == senior.member_id)
        .join(junior_member, junior_member.id == junior.member_id)
        .join(Program, Program.id == Pair.program_id)
        .where(
            Program.workspace_id == program.workspace_id,
            Pair.status.in_(MET_STATUSES),
            or_(
                Pair.program_id == program.id,
                Pair.started_at >= now - timedelta(days=30 * program.repeat_lookback_months),
            ),
        )
    )
    return frozenset(frozenset(row) for row in rows)


def _attach_trios(
    result: MatchResult, people: RoundPeople
) -> tuple[list[tuple[ProposedPair, str | None]], list[Unmatched]]:
    """Give each leftover person the proposed pair they fit best as a third member."""
    pairs: list[tuple[ProposedPair, str | None]] = [(p, None) for p in result.pairs]
    leftovers: list[Unmatched] = []
    taken: set[int] = set()
    for person in result.unmatched:
        best = _best_host(person, pairs, people, taken)
        if best is None:
            leftovers.append(person)
            continue
        taken.add(best)
        pairs[best] = (pairs[best][0], person.key)
    return pairs, leftovers


def _best_host(
    person: Unmatched,
    pairs: list[tuple[ProposedPair, str | None]],
    people: RoundPeople,
    taken: set[int],
) -> int | None:
    by_key = {c.key: c for c in [*people.seniors, *people.juniors]}
    me = by_key[person.key]
    best, best_fit = None, -1
    for index, (pair, third) in enumerate(pairs):
        if index in taken or third is not None:
            continue
        other = by_key[pair.senior if me.role == "junior" else pair.junior]
        if other.key in me.avoid or me.key in other.avoid:
            continue
        fit = len(me.can_share & other.wants_to_learn) + len(me.wants_to_learn & other.can_share)
        if fit > best_fit:
            best, best_fit = index, fit
    return best


def _same_role_pairs(
    unmatched: list[Unmatched], people: RoundPeople, rules: MatchRules
) -> tuple[list[ProposedPair], list[Unmatched]]:
    """Pair the people left over on each side among themselves (a coordinator's choice)."""
    by_key = {c.key: c for c in [*people.seniors, *people.juniors]}
    reasons = {u.key: u for u in unmatched}
    extra: list[ProposedPair] = []
    still: list[Unmatched] = []
    for role in ("junior", "senior"):
        group = [by_key[u.key] for u in unmatched if u.role == role]
        pairs, leftover = match_within(group, rules)
        extra += pairs
        still += [reasons[key] for key in leftover]
    return extra, still


def propose_round(
    session: Session,
    *,
    program_id: int,
    workspace_id: int,
    created_by: str | None,
    now: datetime,
    allow_trios: bool = False,
    allow_same_role: bool = False,
    allow_same_department: bool = False,
) -> MatchRun:
    """Match the next round and store it as a preview, replacing any earlier preview."""
    program = session.get(Program, program_id, with_for_update=True)
    if program is None or program.workspace_id != workspace_id:
        raise NotFound()
    if program.status == ProgramStatus.CLOSED:
        raise NotFound(f"*{program.name}* is closed; there is nothing to match.")
    _supersede_previews(session, program.id)
    round_number = program.current_round + 1
    people = round_people(session, program, now)
    rules = MatchRules(
        allow_same_department=allow_same_department,
        past_pairs=past_pairs(session, program, now),
    )
    result = match(people.seniors, people.juniors, rules)
    pairs: list[tuple[ProposedPair, str | None]] = [(p, None) for p in result.pairs]
    unmatched = list(result.unmatched)
    if allow_same_role:
        extra, unmatched = _same_role_pairs(unmatched, people, rules)
        pairs += [(p, None) for p in extra]
    elif allow_trios:
        pairs, unmatched = _attach_trios(result, people)
    run = MatchRun(
        program_id=program.id,
        round=round_number,
        created_by=created_by,
        options={
            "allow_trios": allow_trios,
            "allow_same_role": allow_same_role,
            "allow_same_department": allow_same_department,
        },
        unmatched=[{"key": u.key, "role": u.role, "reason": u.reason} for u in unmatched],
        total_score=round(result.total_score, 3),
    )
    session.add(run)
    session.flush()
    key = people.participant_by_key
    session.add_all(
        Pair(
            program_id=program.id,
            round=round_number,
            senior_id=key[p.senior],
            junior_id=key[p.junior],
            third_id=key[third] if third else None,
            status=PairStatus.PROPOSED,
            match_run_id=run.id,
            match_score=round(p.score, 3),
            match_reasons={"reasons": list(p.reasons)},
        )
        for p, third in pairs
    )
    session.flush()
    return run


def _supersede_previews(session: Session, program_id: int) -> None:
    stale = list(
        session.scalars(
            select(MatchRun.id).where(
                MatchRun.program_id == program_id, MatchRun.status == MatchRunStatus.PROPOSED
            )
        )
    )
    if stale:
        session.execute(
            delete(Pair).where(Pair.match_run_id.in_(stale), Pair.status == PairStatus.PROPOSED)
        )
        session.execute(
            update(MatchRun).where(MatchRun.id.in_(stale)).values(status=MatchRunStatus.SUPERSEDED)
        )


@dataclass(frozen=True)
class Decision:
    """What a Confirm or Cancel did, as plain values (the flow edits the preview with them)."""

    changed: bool
    status: MatchRunStatus
    round: int
    program_name: str
    preview_channel: str | None
    preview_ts: str | None
    ended_pair_ids: tuple[int, ...] = ()
    started_pair_ids: tuple[int, ...] = ()
    decided_by: str | None = None  # who confirmed or cancelled (a resumed Confirm names them)


def _decision(
    changed: bool,
    run: MatchRun,
    program: Program,
    ended: tuple[int, ...] = (),
    started: tuple[int, ...] = (),
) -> Decision:
    return Decision(
        changed,
        run.status,
        run.round,
        program.name,
        run.preview_channel,
        run.preview_ts,
        ended,
        started,
        run.decided_by,
    )


def _locked_run(session: Session, run_id: int, workspace_id: int) -> tuple[MatchRun, Program]:
    run = session.get(MatchRun, run_id, with_for_update=True)
    program = session.get(Program, run.program_id) if run else None
    if run is None or program is None or program.workspace_id != workspace_id:
        raise NotFound("That match preview no longer exists.")
    return run, program


def confirm_run(
    session: Session, *, run_id: int, workspace_id: int, user_id: str, now: datetime
) -> Decision:
    """Start the round's pairs; a second confirm (double click, stale preview) changes nothing."""
    run, program = _locked_run(session, run_id, workspace_id)
    if run.status != MatchRunStatus.PROPOSED:
        return _decision(False, run, program)
    ending = list(
        session.scalars(
            select(Pair).where(
                Pair.program_id == program.id,
                Pair.round < run.round,
                Pair.status.in_([PairStatus.ACTIVE, PairStatus.PAUSED]),
            )
        )
    )
    for pair in ending:
        pair.status = PairStatus.ENDED
        pair.ended_at = now
        pair.status_reason = "rotation"
        plan_delivery(
            session,
            workspace_id=workspace_id,
            kind="pair_farewell",
            pair_id=pair.id,
            period=f"round-{pair.round}",
            due_at=now,
        )
    started = list(session.scalars(select(Pair).where(Pair.match_run_id == run.id)))
    away = _not_active(session, started)
    for pair in [p for p in started if p.id in away]:  # paused or left since the preview
        session.delete(pair)
    started = [p for p in started if p.id not in away]
    for pair in started:
        pair.status = PairStatus.ACTIVE
        pair.started_at = now
    session.flush()
    for pair in started:
        plan_delivery(
            session,
            workspace_id=workspace_id,
            kind="pair_intro",
            pair_id=pair.id,
            period=f"round-{run.round}",
            due_at=now,
        )
    run.status = MatchRunStatus.CONFIRMED
    run.decided_by = user_id
    run.decided_at = now
    program.current_round = run.round
    program.status = ProgramStatus.ACTIVE
    return _decision(True, run, program, tuple(p.id for p in ending), tuple(p.id for p in started))


def _not_active(session: Session, pairs: list[Pair]) -> set[int]:
    """Proposed pairs with someone who paused or left after the preview was made."""
    ids = {i for p in pairs for i in (p.senior_id, p.junior_id, p.third_id) if i}
    inactive = set(
        session.scalars(
            select(Participant.id).where(
                Participant.id.in_(ids), Participant.status != ParticipantStatus.ACTIVE
            )
        )
    )
    return {p.id for p in pairs if inactive & {p.senior_id, p.junior_id, p.third_id or 0}}


def cancel_run(
    session: Session, *, run_id: int, workspace_id: int, user_id: str, now: datetime
) -> Decision:
    run, program = _locked_run(session, run_id, workspace_id)
    if run.status != MatchRunStatus.PROPOSED:
        return _decision(False, run, program)
    session.execute(
        delete(Pair).where(Pair.match_run_id == run.id, Pair.status == PairStatus.PROPOSED)
    )
    run.status = MatchRunStatus.CANCELLED
    run.decided_by = user_id
    run.decided_at = now
    return _decision(True, run, program)
