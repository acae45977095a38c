"""`/mentor goals`, the goals modal, and marking a goal achieved or dropped."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.commands import SLASH_COMMAND
from bot.services.goals import GoalView, change_own_goal, goals_of_pair, set_goals
from bot.services.idempotency import first_time
from bot.services.pairs import PairDetails, pair_for_member, pairs_of_user
from bot.views.goals import (
    GoalIds,
    build_goals_modal,
    build_goals_overview,
    build_goals_posted,
    parse_goals_submission,
)
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand
from models.enums import GoalStatus


def _overview(runtime: Any, user_id: str) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        entries: list[tuple[PairDetails, dict[str, list[GoalView]]]] = []
        for pair in pairs_of_user(session, workspace_id=runtime.workspace_id or 0, user_id=user_id):
            owner_user = {p.participant_id: p.user_id for p in pair.people}
            by_user: dict[str, list[GoalView]] = defaultdict(list)
            for goal in goals_of_pair(session, pair_id=pair.id):
                by_user[owner_user.get(goal.owner_id, "")].append(goal)
            entries.append((pair, dict(by_user)))
    return build_goals_overview(entries, user_id=user_id)


def handle_goals_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack(**_overview(runtime_of(context), command["user_id"]))


def handle_edit_goals(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    runtime = runtime_of(context)
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(
            session, pair_id=int(action["value"]), user_id=body["user"]["id"]
        )
        mine = [
            g
            for g in goals_of_pair(session, pair_id=pair.id)
            if g.owner_id == person.participant_id and g.status == GoalStatus.OPEN
        ]
    runtime.gateway.open_view(
        trigger_id=body["trigger_id"],
        view=build_goals_modal(pair=pair, existing=mine, today=datetime.now(UTC).date()),
    )


def handle_goals_submission(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    view = body["view"]
    user_id = body["user"]["id"]
    parsed = parse_goals_submission(view["state"]["values"], today=datetime.now(UTC).date())
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(
            session, pair_id=int(view["private_metadata"]), user_id=user_id
        )
        fresh = first_time(session, key=f"view:{view['id']}", kind="goals")
        goals = (
            set_goals(session, pair_id=pair.id, owner_id=person.participant_id, drafts=parsed)
            if fresh
            else []
        )
    ack()
    if fresh and pair.dm_channel_id:
        runtime.gateway.post_message(
            channel=pair.dm_channel_id,
            **build_goals_posted(pair, owner_user_id=user_id, goals=goals),
        )


def handle_goal_status(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    goal_id, status = action["selected_option"]["value"].split(":", 1)
    with runtime.unit_of_work() as session:
        change_own_goal(
            session,
            goal_id=int(goal_id),
            user_id=user_id,
            status=GoalStatus(status),
            now=datetime.now(UTC),
        )
    respond(replace_original=True, **_overview(runtime, user_id))


def register(app: App) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("goals", "goal")])(
        shown_to_user(handle_goals_command)
    )
    app.action(GoalIds.EDIT.value)(shown_to_user(handle_edit_goals))
    app.action(GoalIds.STATUS_MENU.value)(shown_to_user(handle_goal_status))
    app.view(GoalIds.CALLBACK.value)(shown_to_user(handle_goals_submission))
