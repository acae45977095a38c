"""Enrolment: which programs a person can join, their profile, pausing and leaving.

Functions take a session and plain values (ids, dates, dataclasses) and never see Slack.
Refusals are `TwowayError`s whose words are shown to the person as they are.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, time

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.services.idempotency import first_time
from bot.services.members import find_member
from models import Member, Participant, Program
from models.enums import PairStatus, ParticipantStatus, ProgramStatus, Role

OPEN_STATUSES = (ProgramStatus.ENROLLING, ProgramStatus.ACTIVE)
CURRENT_PAIR_STATUSES = (PairStatus.ACTIVE, PairStatus.PAUSED)
ACTIVE, PAUSED, LEFT = ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED, ParticipantStatus.LEFT
DEFAULT_HOURS = (time(9, 0), time(17, 0))
ENDED_REASON = "participant left"
NOT_ENROLLED = "You're not in a program yet. Use `/mentor join` to enrol."
PAST_DATE = "That date isn't after today. Use `/mentor pause until YYYY-MM-DD` with a later date."

Rows = list[tuple[Participant, Program]]


class Mode(enum.StrEnum):
    JOIN = "join"
    EDIT = "edit"


class SaveOutcome(enum.StrEnum):
    CREATED = "created"
    REJOINED = "rejoined"
    UPDATED = "updated"
    DUPLICATE = "duplicate"  # the same modal submitted again: nothing changed
    REFUSED = "refused"  # no longer possible when saved (the program closed meanwhile)


class Refusal(enum.StrEnum):
    """Why a submission can't be saved; a code, so an outbox payload can carry it."""

    GONE = "gone"  # the program no longer exists
    NOT_IN_PROGRAM = "not-in-program"  # editing a profile the person no longer has
    CLOSED = "closed"  # joining a program whose enrolment closed


@dataclass(frozen=True)
class ProgramRef:
    id: int
    name: str
    participant_id: int | None = None  # the person's enrolment in it, when that matters


@dataclass(frozen=True)
class ProfileAnswers:
    """What a participant tells us (topics as labels, languages as codes, Slack user ids)."""

    role: Role
    department: str
    can_share: tuple[str, ...]
    can_share_notes: str | None
    wants_to_learn: tuple[str, ...]
    wants_to_learn_notes: str | None
    work_start: time
    work_end: time
    languages: tuple[str, ...]
    avoid_user_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EnrolmentTarget:
    """What the modal is about: one program, or (join only) several to choose from."""

    mode: Mode
    programs: tuple[ProgramRef, ...]
    answers: ProfileAnswers | None = None  # prefill
    already_enrolled: bool = False  # `/mentor join` on a program the person is already in
    others: tuple[ProgramRef, ...] = ()  # the person's other programs (edit)


@dataclass(frozen=True)
class Saved:
    outcome: SaveOutcome
    program: ProgramRef | None = None
    participant_id: int | None = None
    refusal: Refusal | None = None  # set when the outcome is REFUSED


@dataclass(frozen=True)
class StatusChange:
    changed: tuple[str, ...]  # program names
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class PartnerNotice:
    """Whom to tell that their partner left: one per partner, whatever the number of pairs."""

    user_id: str
    programs: tuple[str, ...]
    participant_ids: tuple[int, ...] = ()  # the partner's participations concerned
    first_pair_id: int = 0  # the lowest ended pair among them (each pair ends once)


@dataclass(frozen=True)
class LeaveResult:
    left: tuple[str, ...]  # programs left now
    already_left: tuple[str, ...]
    ended_pair_ids: tuple[int, ...]
    partners: tuple[PartnerNotice, ...]  # one per partner, whatever the number of pairs


def is_open(program: Program, today: date) -> bool:
    deadline = program.enrolment_deadline
    return program.status in OPEN_STATUSES and (deadline is None or deadline >= today)


def program_ref(program: Program, participant: Participant | None = None) -> ProgramRef:
    return ProgramRef(program.id, program.name, participant.id if participant else None)


def _names(programs: Iterable[Program | ProgramRef]) -> str:
    return ", ".join(f"*{p.name}*" for p in programs)


def _by_name(programs: Iterable[Program], name: str) -> Program | None:
    wanted = " ".join(name.split()).casefold()
    return next((p for p in programs if " ".join(p.name.split()).casefold() == wanted), None)


def open_programs(session: Session, *, workspace_id: int, today: date) -> list[Program]:
    query = select(Program).where(
        Program.workspace_id == workspace_id,
        Program.status.in_(OPEN_STATUSES),
        or_(Program.enrolment_deadline.is_(None), Program.enrolment_deadline >= today),
    )
    return list(session.scalars(query.order_by(Program.name, Program.id)))


def _participations(session: Session, *, workspace_id: int, user_id: str) -> Rows:
    """The person's rows in every program of the workspace, newest first."""
    rows = session.execute(
        select(Participant, Program)
        .join(Program, Program.id == Participant.program_id)
        .join(Member, Member.id == Participant.member_id)
        .where(Program.workspace_id == workspace_id, Member.workspace_id == workspace_id)
        .where(Member.slack_user_id == user_id)
        .order_by(Participant.created_at.desc(), Participant.id.desc())
    )
    return [(participant, program) for participant, program in rows]


def current_participations(
    session: Session, *, workspace_id: int, user_id: str, name: str | None = None
) -> Rows:
    """Participations that count (not left, program not closed); only `name`'s if given."""
    current = [
        (p, prog)
        for p, prog in _participations(session, workspace_id=workspace_id, user_id=user_id)
        if p.status != LEFT and prog.status != ProgramStatus.CLOSED
    ]
    if not current:
        raise NotFound(NOT_ENROLLED)
    if not name:
        return current
    program = _by_name((prog for _, prog in current), name)
    if program is None:
        raise NotFound(
            f"You're not in a program called “{name[:80]}”. "
            f"You're in: {_names(prog for _, prog in current)}."
        )
    return [row for row in current if row[1].id == program.id]


def answers_of(participant: Participant) -> ProfileAnswers:
    values = {f.name: getattr(participant, f.name) for f in fields(ProfileAnswers)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    values["work_start"] = values["work_start"] or DEFAULT_HOURS[0]
    values["work_end"] = values["work_end"] or DEFAULT_HOURS[1]
    return ProfileAnswers(**values)


def _apply(participant: Participant, answers: ProfileAnswers) -> None:
    for f in fields(ProfileAnswers):
        value = getattr(answers, f.name)
        setattr(participant, f.name, list(value) if isinstance(value, tuple) else value)


def _edit(
    program: Program,
    participant: Participant,
    *,
    already: bool = False,
    others: tuple[ProgramRef, ...] = (),
) -> EnrolmentTarget:
    return EnrolmentTarget(
        Mode.EDIT, (program_ref(program),), answers_of(participant), already, others
    )


def join_target(
    session: Session, *, workspace_id: int, user_id: str, name: str | None, today: date
) -> EnrolmentTarget:
    """What `/mentor join [name]` opens; refusals say which programs are open.

    The form is prefilled from the person's latest enrolment anywhere, so joining a
    second program (or coming back) takes a click.
    """
    mine = _participations(session, workspace_id=workspace_id, user_id=user_id)
    enrolled = {prog.id: p for p, prog in mine if p.status != LEFT}
    latest = answers_of(mine[0][0]) if mine else None
    available = open_programs(session, workspace_id=workspace_id, today=today)
    open_list = f" Open now: {_names(available)}." if available else ""
    if name:
        everything = session.scalars(select(Program).where(Program.workspace_id == workspace_id))
        program = _by_name(everything, name)
        if program is None:
            raise NotFound(f"I couldn't find a program called “{name[:80]}”.{open_list}")
        if program.id in enrolled and program.status != ProgramStatus.CLOSED:
            return _edit(program, enrolled[program.id], already=True)
        if not is_open(program, today):
            raise NotFound(f"Enrolment for *{program.name}* is closed.{open_list}")
        available = [program]
    if not available:
        raise NotFound("No program is open for enrolment right now. Watch for the next one!")
    candidates = [p for p in available if p.id not in enrolled]
    if not candidates and len(available) == 1:
        return _edit(available[0], enrolled[available[0].id], already=True)
    if not candidates:
        raise InvalidInput(
            f"You're already in every open program ({_names(available)}). "
            "To change your answers, use `/mentor profile NAME`."
        )
    return EnrolmentTarget(Mode.JOIN, tuple(program_ref(p) for p in candidates), latest)


def profile_target(
    session: Session, *, workspace_id: int, user_id: str, name: str | None
) -> EnrolmentTarget:
    """What `/mentor profile [name]` edits: the named program, else the latest one joined."""
    current = current_participations(session, workspace_id=workspace_id, user_id=user_id)
    named = current_participations(session, workspace_id=workspace_id, user_id=user_id, name=name)
    participant, program = named[0]
    others = tuple(program_ref(prog) for _, prog in current if prog.id != program.id)
    return _edit(program, participant, others=others)


def refusal_text(refusal: Refusal, program_name: str | None) -> str:
    """The words a refused submission shows (in the modal, or by DM once it closed)."""
    name = program_name or "that program"
    if refusal == Refusal.GONE:
        return "That program no longer exists, so nothing was saved."
    if refusal == Refusal.NOT_IN_PROGRAM:
        return (
            f"You're no longer in *{name}*, so there was nothing to update. "
            f"To come back, use `/mentor join {name}`."
        )
    return f"Enrolment for *{name}* has closed, so nothing was saved."


def _checked(
    session: Session, *, workspace_id: int, user_id: str, program_id: int, mode: Mode, today: date
) -> tuple[Program | None, Participant | None, Refusal | None]:
    """The program and the person's row in it, and why saving is refused (None: it isn't)."""
    program = session.get(Program, program_id)
    if program is None or program.workspace_id != workspace_id:
        return None, None, Refusal.GONE
    mine = _participations(session, workspace_id=workspace_id, user_id=user_id)
    participant = next((p for p, prog in mine if prog.id == program.id), None)
    if participant and participant.status != LEFT and program.status != ProgramStatus.CLOSED:
        return program, participant, None
    if mode == Mode.EDIT:
        return program, participant, Refusal.NOT_IN_PROGRAM
    if not is_open(program, today):
        return program, participant, Refusal.CLOSED
    return program, participant, None


def check_submission(
    session: Session, *, workspace_id: int, user_id: str, program_id: int, mode: Mode, today: date
) -> tuple[Program, Participant | None]:
    """Re-check a program id that came back in a payload; refuse what is no longer possible."""
    program, participant, refusal = _checked(
        session,
        workspace_id=workspace_id,
        user_id=user_id,
        program_id=program_id,
        mode=mode,
        today=today,
    )
    if refusal is not None or program is None:
        raise NotFound(refusal_text(refusal or Refusal.GONE, program.name if program else None))
    return program, participant


def _member(session: Session, *, workspace_id: int, user_id: str) -> Member:
    """The member row, created if needed; safe when two requests create it at once."""
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    if member is not None:
        return member
    try:
        with session.begin_nested():
            member = Member(workspace_id=workspace_id, slack_user_id=user_id)
            session.add(member)
    except IntegrityError:
        member = find_member(session, workspace_id=workspace_id, user_id=user_id)
        assert member is not None
    return member


def save_enrolment(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    program_id: int,
    mode: Mode,
    answers: ProfileAnswers,
    view_id: str,
    today: date,
) -> Saved:
    """Create, re-activate or update the participant; a modal submitted twice saves once.

    A refusal is returned, not raised: the submission is recorded as seen, so a retry of
    it changes nothing, and the caller can plan the refusal's DM in this transaction.
    """
    if not first_time(session, key=f"view:{view_id}", kind="view"):
        return Saved(SaveOutcome.DUPLICATE)
    program, participant, refusal = _checked(
        session,
        workspace_id=workspace_id,
        user_id=user_id,
        program_id=program_id,
        mode=mode,
        today=today,
    )
    if refusal is not None or program is None:
        ref = program_ref(program) if program is not None else None
        return Saved(SaveOutcome.REFUSED, ref, refusal=refusal or Refusal.GONE)
    member = _member(session, workspace_id=workspace_id, user_id=user_id)
    outcome = SaveOutcome.UPDATED
    if participant is None:
        try:
            with session.begin_nested():
                participant = Participant(program_id=program.id, member_id=member.id)
                _apply(participant, answers)
                session.add(participant)
            outcome = SaveOutcome.CREATED
        except IntegrityError:  # another modal of the same person won the race: update that
            participant = session.scalar(
                select(Participant).where(
                    Participant.program_id == program.id, Participant.member_id == member.id
                )
            )
            assert participant is not None
    elif participant.status == LEFT:
        outcome = SaveOutcome.REJOINED
        participant.status, participant.left_at, participant.paused_until = ACTIVE, None, None
    _apply(participant, answers)
    session.flush()
    return Saved(outcome, program_ref(program), participant.id)
