"""What a participant's App Home shows, read in one go for one viewer.

Everything here is the viewer's own or their pair's: their goals and their partner's
(with progress notes, which the pair shares), their open action items, their own
learnings only, the survey open to them. Lists are cut to what the Home shows, with
totals so the view can point to the full `/mentor` page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import local_date
from bot.rhythm import AgendaInput
from bot.services.action_items import ActionItemView, open_items_of_user
from bot.services.agenda_sources import agenda_inputs
from bot.services.checkins import has_answered
from bot.services.coordinators import is_coordinator
from bot.services.goals import GoalView, goals_of_pair
from bot.services.home import HomeStatus, home_status
from bot.services.learnings import LearningEntry, learning_log
from bot.services.members import find_member, is_timezone
from bot.services.pairs import PairDetails
from bot.services.sessions import next_planned
from bot.services.surveys import SurveyInfo, current_survey_id, surveys_by_id
from models import MentoringSession
from models.enums import PairStatus, ParticipantStatus, SessionStatus

SHOWN_ITEMS = 5
SHOWN_LEARNINGS = 3


@dataclass(frozen=True)
class Viewer:
    """Who the Home is for, and the instant it is drawn."""

    workspace_id: int
    user_id: str
    timezone: str
    now: datetime
    is_coordinator: bool


@dataclass(frozen=True)
class PairPanel:
    pair: PairDetails
    next_session_at: datetime | None
    agenda_input: AgendaInput | None  # None for a paused pair (no sessions are planned)
    goals: list[GoalView]


@dataclass(frozen=True)
class Dashboard:
    status: HomeStatus
    panels: list[PairPanel]
    items: list[ActionItemView]
    items_total: int
    learnings: list[LearningEntry]
    survey: SurveyInfo | None
    is_participant: bool
    can_pause: bool
    can_resume: bool
    notes: list[str] = field(default_factory=list)


def viewer_of(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    now: datetime,
    coordinator_hint: bool = False,
) -> Viewer:
    """The viewer as the database knows them (for renders outside a request).

    Coordinators named only in TWOWAY_COORDINATORS are not in the database: a request
    knows them (`coordinator_hint`), a later render of their Home sees Slack admins and
    in-app coordinators.
    """
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    timezone = member.timezone if member and is_timezone(member.timezone) else "UTC"
    coordinator = coordinator_hint or is_coordinator(
        session,
        workspace_id=workspace_id,
        user_id=user_id,
        bootstrap_ids=frozenset(),
        is_slack_admin=bool(member and member.is_slack_admin),
    )
    return Viewer(workspace_id, user_id, timezone, now, coordinator)


def dashboard(session: Session, *, viewer: Viewer) -> Dashboard:
    status = home_status(
        session,
        workspace_id=viewer.workspace_id,
        user_id=viewer.user_id,
        today=local_date(viewer.now, viewer.timezone),
    )
    active = [p for p in status.pairs if p.status == PairStatus.ACTIVE]
    inputs = agenda_inputs(session, active) if active else {}
    panels = []
    for pair in status.pairs:
        planned = next_planned(session, pair_id=pair.id, after=viewer.now)
        panels.append(
            PairPanel(
                pair=pair,
                next_session_at=planned.scheduled_at if planned else None,
                agenda_input=inputs.get(pair.id),
                goals=goals_of_pair(session, pair_id=pair.id),
            )
        )
    items, items_total = open_items_of_user(
        session,
        workspace_id=viewer.workspace_id,
        user_id=viewer.user_id,
        offset=0,
        limit=SHOWN_ITEMS,
    )
    entries, _ = learning_log(
        session, workspace_id=viewer.workspace_id, user_id=viewer.user_id, offset=0, limit=20
    )
    survey_id = current_survey_id(
        session, workspace_id=viewer.workspace_id, user_id=viewer.user_id, now=viewer.now
    )
    survey = surveys_by_id(session, [survey_id]).get(survey_id) if survey_id else None
    statuses = {e.status for e in status.enrolments}
    return Dashboard(
        status=status,
        panels=panels,
        items=items,
        items_total=items_total,
        learnings=[e for e in entries if e.mine][:SHOWN_LEARNINGS],
        survey=survey,
        is_participant=bool(statuses - {ParticipantStatus.LEFT}),
        can_pause=ParticipantStatus.ACTIVE in statuses,
        can_resume=ParticipantStatus.PAUSED in statuses,
    )


def session_to_check_in(session: Session, *, pairs: list[PairDetails], user_id: str) -> int | None:
    """The caller's latest held session they have not yet answered the check-in of."""
    by_pair = {pair.id: pair for pair in pairs}
    if not by_pair:
        return None
    held = session.scalars(
        select(MentoringSession)
        .where(
            MentoringSession.pair_id.in_(list(by_pair)),
            MentoringSession.status == SessionStatus.HELD,
        )
        .order_by(MentoringSession.held_at.desc(), MentoringSession.id.desc())
        .limit(10)
    )
    for row in held:
        person = by_pair[row.pair_id].person(user_id)
        if person and not has_answered(
            session, session_id=row.id, participant_id=person.participant_id
        ):
            return row.id
    return None
