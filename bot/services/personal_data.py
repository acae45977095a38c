"""Everything twoway stores about one person, as plain data (`/mentor mydata`, `twoway
person export`).

Only the person's own rows and texts, plus feedback addressed to them: a partner appears
by Slack id, never with what they wrote for themselves (their learnings, goals,
reflections or the feedback they gave others).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotFound
from bot.services.members import find_member
from models import (
    ActionItem,
    AuditLog,
    CheckIn,
    Coordinator,
    Feedback,
    Goal,
    Learning,
    Member,
    MentoringSession,
    Pair,
    Participant,
    Program,
    Survey,
    SurveyResponse,
    Workspace,
)


def _plain(value: Any) -> Any:
    """JSON-ready: instants and dates as ISO text, enums as their values."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, dict | list | str):
        return value.value
    return value


def _row(obj: Any, *columns: str) -> dict[str, Any]:
    return {column: _plain(getattr(obj, column)) for column in columns}


def _slack_ids(session: Session, participant_ids: set[int]) -> dict[int, str]:
    rows = session.execute(
        select(Participant.id, Member.slack_user_id)
        .join(Member, Member.id == Participant.member_id)
        .where(Participant.id.in_(participant_ids))
    )
    return {int(row[0]): str(row[1]) for row in rows}


def _pairs(session: Session, participant: Participant) -> list[dict[str, Any]]:
    me = participant.id
    pairs = list(
        session.scalars(
            select(Pair)
            .where(or_(Pair.senior_id == me, Pair.junior_id == me, Pair.third_id == me))
            .order_by(Pair.round, Pair.id)
        )
    )
    people = {p for pair in pairs for p in (pair.senior_id, pair.junior_id, pair.third_id) if p}
    ids = _slack_ids(session, people)
    out = []
    for pair in pairs:
        sessions = session.scalars(
            select(MentoringSession)
            .where(MentoringSession.pair_id == pair.id)
            .order_by(MentoringSession.id)
        )
        checkins = {
            c.session_id: c
            for c in session.scalars(select(CheckIn).where(CheckIn.participant_id == me))
        }
        out.append(
            {
                **_row(pair, "round", "status", "started_at", "ended_at"),
                "partners": [
                    ids[p]
                    for p in (pair.senior_id, pair.junior_id, pair.third_id)
                    if p and p != me and p in ids
                ],
                "sessions": [
                    {
                        **_row(s, "status", "scheduled_at", "held_at", "minutes"),
                        "my_reason": s.reason if s.cancelled_by_id == me else None,
                        "my_checkin": _row(checkins[s.id], "outcome", "minutes")
                        if s.id in checkins
                        else None,
                    }
                    for s in sessions
                ],
            }
        )
    return out


def _feedback(session: Session, participant_id: int, ids: dict[int, str]) -> dict[str, Any]:
    rows = list(
        session.scalars(
            select(Feedback)
            .where(or_(Feedback.from_id == participant_id, Feedback.to_id == participant_id))
            .order_by(Feedback.id)
        )
    )
    ids = ids | _slack_ids(session, {f.from_id for f in rows} | {f.to_id for f in rows})
    return {
        "given": [
            {"to": ids.get(f.to_id), **_row(f, "text", "created_at")}
            for f in rows
            if f.from_id == participant_id
        ],
        "received": [
            {"from": ids.get(f.from_id), **_row(f, "text", "created_at")}
            for f in rows
            if f.to_id == participant_id
        ],
    }


def _participation(session: Session, participant: Participant, program: Program) -> dict:
    me = participant.id
    goals = session.scalars(select(Goal).where(Goal.owner_id == me).order_by(Goal.id))
    actions = session.scalars(
        select(ActionItem).where(ActionItem.owner_id == me).order_by(ActionItem.id)
    )
    learnings = session.scalars(
        select(Learning).where(Learning.participant_id == me).order_by(Learning.id)
    )
    answers = session.execute(
        select(SurveyResponse, Survey)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.participant_id == me)
        .order_by(SurveyResponse.id)
    ).all()
    return {
        "program": program.name,
        "profile": _row(
            participant,
            "role",
            "status",
            "department",
            "can_share",
            "can_share_notes",
            "wants_to_learn",
            "wants_to_learn_notes",
            "languages",
            "avoid_user_ids",
            "work_start",
            "work_end",
            "paused_until",
            "created_at",
            "left_at",
        ),
        "pairs": _pairs(session, participant),
        "goals": [_row(g, "text", "indicator", "target_on", "status", "closed_at") for g in goals],
        "action_items": [
            _row(a, "text", "due_on", "status", "completed_at", "created_at") for a in actions
        ],
        "learnings": [_row(entry, "text", "visibility", "created_at") for entry in learnings],
        "feedback": _feedback(session, me, {}),
        "survey_answers": [
            {
                "survey": f"{survey.kind.value} {survey.period}",
                **_row(answer, "likert", "reflections", "submitted_at"),
            }
            for answer, survey in answers
        ],
    }


def personal_data(session: Session, *, workspace_id: int, user_id: str) -> dict[str, Any] | None:
    """The person's data, or None when twoway stores nothing under this Slack id."""
    member = find_member(session, workspace_id=workspace_id, user_id=user_id)
    coordinator = session.scalar(
        select(Coordinator).where(
            Coordinator.workspace_id == workspace_id, Coordinator.slack_user_id == user_id
        )
    )
    if member is None and coordinator is None:
        return None
    workspace = session.get(Workspace, workspace_id)
    rows = (
        session.execute(
            select(Participant, Program)
            .join(Program, Program.id == Participant.program_id)
            .where(Participant.member_id == member.id)
            .order_by(Program.starts_on, Program.id)
        ).all()
        if member is not None
        else []
    )
    return {
        "slack_user_id": user_id,
        "workspace": workspace.team_id if workspace else None,
        "member": _row(
            member, "display_name", "timezone", "is_deleted", "profile_synced_at", "home_opened_at"
        )
        if member is not None
        else None,
        "coordinator": _row(coordinator, "added_by", "created_at") if coordinator else None,
        "programs": [_participation(session, p, prog) for p, prog in rows],
        "actions_on_record": [
            _row(entry, "action", "outcome", "target_type", "created_at")
            for entry in session.scalars(
                select(AuditLog)
                .where(AuditLog.workspace_id == workspace_id, AuditLog.actor_user_id == user_id)
                .order_by(AuditLog.id)
            )
        ],
    }


def choose_workspace(session: Session, *, team_id: str | None) -> int:
    """With one workspace, that one; with several, the one `team_id` names."""
    workspaces = list(session.scalars(select(Workspace).order_by(Workspace.id)))
    if team_id:
        for workspace in workspaces:
            if workspace.team_id == team_id:
                return workspace.id
        raise NotFound(f"no workspace with team id {team_id[:32]!r} in this database")
    if not workspaces:
        raise NotFound("no workspace in this database yet: run twoway once with a bot token")
    if len(workspaces) > 1:
        teams = ", ".join(w.team_id for w in workspaces[:10])
        raise InvalidInput(f"this database holds several workspaces ({teams}); add --team TEAM_ID")
    return workspaces[0].id


def member_slack_id(session: Session, *, member_id: int) -> str | None:
    return session.scalar(select(Member.slack_user_id).where(Member.id == member_id))
