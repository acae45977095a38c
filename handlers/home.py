"""The App Home tab: published when a person opens it, and its dashboard's buttons.

Each button listener acks, reads the button's value and calls one flow of
`bot.flows.home_actions` (which reuses the command's or nudge's own flow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.flows import home_actions
from bot.flows.home import show_home
from bot.messages.home import HOME_RENDERERS
from bot.registry import Feature
from bot.views.home import HomeIds
from bot.views.payloads import button_id
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router


def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    show_home(runtime_of(context), caller_of(context))


def handle_pick_time(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    home_actions.pick_time(
        runtime_of(context),
        caller_of(context),
        pair_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def handle_survey(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    home_actions.answer_survey(
        runtime_of(context),
        caller_of(context),
        survey_id=button_id(action.get("value")),
        trigger_id=body["trigger_id"],
    )


def _plain(flow: Callable[..., None]) -> Callable[..., None]:
    """A listener for a button whose only input is who pressed it."""

    def listener(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        flow(runtime_of(context), caller_of(context), trigger_id=body["trigger_id"])

    listener.__name__ = f"handle_{flow.__name__}"
    return listener


def register(app: Router) -> None:
    app.event("app_home_opened")(shown_to_user(handle_app_home_opened))
    app.action(HomeIds.PICK_TIME.value)(shown_to_user(handle_pick_time))
    app.action(HomeIds.SURVEY.value)(shown_to_user(handle_survey))
    for action_id, flow in (
        (HomeIds.LOG_SESSION, home_actions.log_session),
        (HomeIds.ADD_LEARNING, home_actions.add_learning),
        (HomeIds.GIVE_FEEDBACK, home_actions.give_feedback),
        (HomeIds.PAUSE, home_actions.pause),
        (HomeIds.RESUME, home_actions.resume),
        (HomeIds.JOIN, home_actions.join),
    ):
        app.action(action_id.value)(shown_to_user(_plain(flow)))


FEATURE = Feature(name="home", register=register, renderers=HOME_RENDERERS, order=10)
