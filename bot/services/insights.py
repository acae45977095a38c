"""Up to three concrete suggestions from a program's health, and the actions behind them.

Each suggestion names one thing a coordinator can do now; its button does exactly that.
The reminders go through the outbox under keys that make each one happen once (per
stall, per survey), however often the button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.program_health import ProgramHealth, program_health
from bot.services.surveys import answered
from models import Delivery, Participant, Program, Survey
from models.enums import ParticipantStatus, ProgramStatus, Role

STALL_REMINDER = "coordinator_stall_reminder"  # delivery kind: a gentle nudge to one pair
SURVEY_REMINDER = "survey_reminder"  # the survey's own reminder (bot.messages.surveys)
SURVEY_SOON = timedelta(days=3)  # a survey closing within this...
SURVEY_LOW = 0.75  # ...with fewer than this share answered is worth a reminder
MOST = 3


class InsightKind(StrEnum):
    INVITE = "invite"
    REMIND_STALLED = "stalled"
    REMIND_SURVEY = "survey"


@dataclass(frozen=True)
class Insight:
    kind: InsightKind
    program_id: int
    text: str  # the suggestion, in plain words
    button: str  # what the button does
    target: int  # the program (invite, stalled) or the survey (survey)
    role: Role | None = None  # for INVITE: the side to invite


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _days(delta: timedelta) -> str:
    days = max(1, round(delta.total_seconds() / 86400))
    return _plural(days, "day")


def insights(health: ProgramHealth, *, now: datetime) -> list[Insight]:
    """The most useful suggestions first, at most three; none for a closed program."""
    if health.status == ProgramStatus.CLOSED:
        return []
    found: list[Insight] = []
    juniors, seniors = health.waiting_count(Role.JUNIOR), health.waiting_count(Role.SENIOR)
    if juniors != seniors and max(juniors, seniors) > 0:
        waiting, missing = (
            (Role.JUNIOR, Role.SENIOR) if juniors > seniors else (Role.SENIOR, Role.JUNIOR)
        )
        count = abs(juniors - seniors)
        found.append(
            Insight(
                InsightKind.INVITE,
                health.program_id,
                f"{_plural(count, waiting.value)} more than {missing.value}s are waiting for a "
                f"partner: invite {missing.value}s to *{health.name}*.",
                f"Invite {missing.value}s",
                health.program_id,
                role=missing,
            )
        )
    if health.stalled:
        count = len(health.stalled)
        found.append(
            Insight(
                InsightKind.REMIND_STALLED,
                health.program_id,
                f"{_plural(count, 'pair')} {'has' if count == 1 else 'have'} stalled "
                "(two or more periods without a session): send them a gentle reminder.",
                f"Remind {_plural(count, 'pair')}",
                health.program_id,
            )
        )
    for survey in health.surveys:
        left = survey.asked - survey.answered
        if survey.closes_at - now <= SURVEY_SOON and survey.rate < SURVEY_LOW and left > 0:
            found.append(
                Insight(
                    InsightKind.REMIND_SURVEY,
                    health.program_id,
                    f"The survey closes in {_days(survey.closes_at - now)} with "
                    f"{round(100 * survey.rate)} % answered: remind the {left} who have not.",
                    f"Remind {left} people",
                    survey.survey_id,
                )
            )
            break
    return found[:MOST]


@dataclass(frozen=True)
class Planned:
    delivery_ids: list[int]
    already: int  # reminders planned before (the button was pressed already)
    pair_ids: list[int]


def stall_reminder_key(pair_id: int, since: str) -> str:
    return delivery_key(STALL_REMINDER, period=f"since-{since}", pair_id=pair_id)


def plan_stall_reminders(
    session: Session,
    *,
    workspace_id: int,
    program_id: int,
    now: datetime,
    pair_ids: list[int] | None = None,
) -> Planned:
    """One reminder per stalled pair of the program (or of `pair_ids` among them), once per
    stall: a second press finds the keys taken and plans nothing."""
    program = session.get(Program, program_id)
    if program is None or program.workspace_id != workspace_id:
        return Planned([], 0, [])
    health = program_health(session, program_id=program_id, now=now)
    wanted = [s for s in health.stalled if pair_ids is None or s.pair_id in pair_ids]
    rows = [
        {
            "workspace_id": workspace_id,
            "pair_id": stall.pair_id,
            "kind": STALL_REMINDER,
            "period": f"since-{stall.since}",
            "unique_key": stall_reminder_key(stall.pair_id, stall.since),
            "due_at": now,
            "payload": {"missed": stall.missed},
        }
        for stall in wanted
    ]
    return _plan(session, rows, now, [s.pair_id for s in wanted])


def plan_survey_reminders(
    session: Session, *, workspace_id: int, survey_id: int, now: datetime
) -> Planned:
    """One extra reminder to each active participant who has not answered the open survey."""
    survey = session.get(Survey, survey_id)
    program = session.get(Program, survey.program_id) if survey else None
    if survey is None or program is None or program.workspace_id != workspace_id:
        return Planned([], 0, [])
    if not survey.opens_at <= now < survey.closes_at:
        return Planned([], 0, [])
    people = list(
        session.scalars(
            select(Participant.id).where(
                Participant.program_id == program.id,
                Participant.status == ParticipantStatus.ACTIVE,
            )
        )
    )
    done = {p for _, p in answered(session, [survey_id])}
    period = f"{survey_id}-coordinator"
    rows = [
        {
            "workspace_id": workspace_id,
            "participant_id": participant_id,
            "kind": SURVEY_REMINDER,
            "period": period,
            "unique_key": delivery_key(
                SURVEY_REMINDER, period=period, participant_id=participant_id
            ),
            "due_at": now,
            "payload": {"survey_id": survey_id, "number": 1},  # never says "last"
        }
        for participant_id in people
        if participant_id not in done
    ]
    return _plan(session, rows, now, [])


def _plan(
    session: Session, rows: list[dict[str, object]], now: datetime, pair_ids: list[int]
) -> Planned:
    keys = [str(row["unique_key"]) for row in rows]
    known = existing_keys(session, keys)
    fresh = [row for row in rows if row["unique_key"] not in known]
    plan_many(session, fresh, now=now)
    ids = (
        list(
            session.scalars(
                select(Delivery.id).where(
                    Delivery.unique_key.in_([str(r["unique_key"]) for r in fresh])
                )
            )
        )
        if fresh
        else []
    )
    return Planned(ids, len(known), pair_ids)
