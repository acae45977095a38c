"""`/mentor pair`, and the buttons in a pair's DM that open the goals and takeaway modals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.commands import SLASH_COMMAND
from bot.services.goals import goals_of_pair
from bot.services.idempotency import first_time
from bot.services.learnings import add_learning
from bot.services.pairs import CURRENT, pair_for_member, pairs_of_user
from bot.views.goals import build_goals_modal
from bot.views.pairs import PairIds, build_my_pairs, build_takeaway_modal
from bot.views.state import text_value
from handlers.context import runtime_of
from handlers.errors import shown_to_user
from handlers.routing import subcommand
from models.enums import PairStatus


def handle_pair_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    with runtime.unit_of_work() as session:
        pairs = pairs_of_user(
            session, workspace_id=runtime.workspace_id or 0, user_id=command["user_id"]
        )
    ack(**build_my_pairs(pairs, user_id=command["user_id"]))


def handle_open_goals(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    runtime = runtime_of(context)
    user_id = body["user"]["id"]
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(session, pair_id=int(action["value"]), user_id=user_id)
        mine = [
            g
            for g in goals_of_pair(session, pair_id=pair.id)
            if g.owner_id == person.participant_id and g.status.value == "open"
        ]
    view = build_goals_modal(pair=pair, existing=mine, today=datetime.now(UTC).date())
    runtime.gateway.open_view(trigger_id=body["trigger_id"], view=view)


def handle_open_takeaway(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    runtime = runtime_of(context)
    with runtime.unit_of_work() as session:
        pair, _ = pair_for_member(
            session,
            pair_id=int(action["value"]),
            user_id=body["user"]["id"],
            statuses=(*CURRENT, PairStatus.ENDED),
        )
    runtime.gateway.open_view(trigger_id=body["trigger_id"], view=build_takeaway_modal(pair.id))


def handle_takeaway_submission(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    runtime = runtime_of(context)
    view = body["view"]
    text = text_value(view["state"]["values"], PairIds.TAKEAWAY_TEXT, PairIds.TAKEAWAY_TEXT)
    if len(text.split()) < 2:
        ack(
            response_action="errors",
            errors={
                PairIds.TAKEAWAY_TEXT: "A few words, please: what will you keep from this round?"
            },
        )
        return
    with runtime.unit_of_work() as session:
        pair, person = pair_for_member(
            session,
            pair_id=int(view["private_metadata"]),
            user_id=body["user"]["id"],
            statuses=(*CURRENT, PairStatus.ENDED),
        )
        if first_time(session, key=f"view:{view['id']}", kind="takeaway"):
            add_learning(session, participant_id=person.participant_id, pair_id=pair.id, text=text)
    ack()


def register(app: App) -> None:
    app.command(SLASH_COMMAND, matchers=[subcommand("pair", "pairs")])(
        shown_to_user(handle_pair_command)
    )
    app.action(PairIds.OPEN_GOALS.value)(shown_to_user(handle_open_goals))
    app.action(PairIds.OPEN_TAKEAWAY.value)(shown_to_user(handle_open_takeaway))
    app.view(PairIds.TAKEAWAY_CALLBACK.value)(shown_to_user(handle_takeaway_submission))
