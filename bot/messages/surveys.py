"""Reflection surveys through the outbox: create the surveys that became due, plan each
participant's DM and at most two reminders, and render them (cancelling what is moot).

Keys: (participant, "survey", survey id) and (participant, "survey_reminder", "<id>-1|2"),
so each person gets each message once, whatever the number of ticks or schedulers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post
from bot.outbox.render import RenderContext, Renderer
from bot.runtime import Runtime
from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.home_refresh import mark_home
from bot.services.survey_planning import (
    claimed_survey_rows,
    create_due_surveys,
    survey_deliveries,
)
from bot.services.surveys import (
    LearningSummary,
    Recipient,
    SurveyInfo,
    answered,
    learning_summaries,
    recipients,
    surveys_by_id,
)
from bot.views.surveys import build_survey_dm, build_survey_reminder
from models import Delivery
from models.enums import ParticipantStatus

SURVEY = "survey"
REMINDER = "survey_reminder"


def plan_surveys(runtime: Runtime, now: datetime) -> int:
    """Create due surveys, then plan the missing DMs and reminders; returns rows added."""
    with runtime.unit_of_work() as session:
        created = create_due_surveys(session, now=now)
        return created + _plan_deliveries(session, now)


def _plan_deliveries(session: Session, now: datetime) -> int:
    rows: list[dict[str, object]] = []
    for plan in survey_deliveries(session, now=now):
        base = {"workspace_id": plan.workspace_id, "participant_id": plan.participant_id}
        period = str(plan.survey_id)
        rows.append(
            base
            | {
                "kind": SURVEY,
                "period": period,
                "unique_key": delivery_key(
                    SURVEY, period=period, participant_id=plan.participant_id
                ),
                "due_at": plan.due_at,
                "payload": {"survey_id": plan.survey_id},
            }
        )
        for number, due_at in enumerate(plan.reminders, start=1):
            reminder_period = f"{plan.survey_id}-{number}"
            rows.append(
                base
                | {
                    "kind": REMINDER,
                    "period": reminder_period,
                    "unique_key": delivery_key(
                        REMINDER, period=reminder_period, participant_id=plan.participant_id
                    ),
                    "due_at": due_at,
                    "payload": {"survey_id": plan.survey_id, "number": number},
                }
            )
    known = existing_keys(session, [str(row["unique_key"]) for row in rows])
    return plan_many(session, [row for row in rows if row["unique_key"] not in known], now=now)


# -- rendering -------------------------------------------------------------------------------


@dataclass
class _Batch:
    """What every survey row claimed in this batch needs, loaded in a few queries."""

    surveys: dict[int, SurveyInfo] = field(default_factory=dict)
    people: dict[int, Recipient] = field(default_factory=dict)
    answered: set[tuple[int, int]] = field(default_factory=set)
    summaries: dict[tuple[int, datetime, datetime], LearningSummary] = field(default_factory=dict)


def _load(session: Session, wanted: list[tuple[str, int, int]]) -> _Batch:
    survey_ids = {s for _, s, _ in wanted}
    participant_ids = {p for _, _, p in wanted}
    batch = _Batch(
        surveys=surveys_by_id(session, survey_ids),
        people=recipients(session, participant_ids),
        answered=answered(session, survey_ids, participant_ids),
    )
    batch.summaries = learning_summaries(
        session,
        [
            (p, batch.surveys[s].window_start, batch.surveys[s].window_end)
            for kind, s, p in wanted
            if kind == SURVEY and s in batch.surveys
        ],
    )
    return batch


def _batch(context: RenderContext, delivery: Delivery) -> _Batch:
    """Loaded once per batch: the survey rows this worker claimed alongside this one."""
    batch = context.extras.get("survey_batch")
    if batch is None:
        wanted = claimed_survey_rows(
            context.session, worker=delivery.claimed_by, kinds=(SURVEY, REMINDER)
        )
        batch = context.extras["survey_batch"] = _load(context.session, wanted)
    return batch


def _recipient(context: RenderContext, delivery: Delivery) -> tuple[SurveyInfo, Recipient] | str:
    """The survey and its person, or why the message must not go out now."""
    batch = _batch(context, delivery)
    survey_id = int(delivery.payload.get("survey_id", 0))
    participant_id = delivery.participant_id or 0
    if survey_id not in batch.surveys or participant_id not in batch.people:
        one = _load(context.session, [(delivery.kind, survey_id, participant_id)])
        batch.surveys |= one.surveys
        batch.people |= one.people
        batch.answered |= one.answered
        batch.summaries |= one.summaries
    survey = batch.surveys.get(survey_id)
    person = batch.people.get(participant_id)
    if survey is None or person is None:
        return "survey or participant is gone"
    if context.now >= survey.closes_at:
        return "survey closed"
    if person.status != ParticipantStatus.ACTIVE:
        return f"participant is {person.status.value}"
    if (survey.id, person.participant_id) in batch.answered:
        return "already answered"
    return survey, person


def render_survey(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = _recipient(context, delivery)
    if isinstance(found, str):
        return found
    survey, person = found
    batch = _batch(context, delivery)
    key = (person.participant_id, survey.window_start, survey.window_end)
    summary = batch.summaries.get(key)
    if summary is None:
        summary = learning_summaries(context.session, [key])[key]
    message = build_survey_dm(survey, summary, user_id=person.user_id)

    def show_on_home(session: Session, _channel: str, _ts: str) -> None:
        # the Home lists an open survey: republished once the survey has reached them
        mark_home(
            session, workspace_id=delivery.workspace_id, user_id=person.user_id, now=context.now
        )

    return Post(
        text=message["text"],
        blocks=message["blocks"],
        open_with=(person.user_id,),
        on_sent=show_on_home,
    )


def render_reminder(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    found = _recipient(context, delivery)
    if isinstance(found, str):
        return found
    survey, person = found
    message = build_survey_reminder(
        survey, user_id=person.user_id, number=int(delivery.payload.get("number", 1))
    )
    return Post(text=message["text"], blocks=message["blocks"], open_with=(person.user_id,))


SURVEY_RENDERERS: dict[str, Renderer] = {SURVEY: render_survey, REMINDER: render_reminder}
