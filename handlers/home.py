"""The App Home tab, published whenever a person opens it (through `bot.flows.home`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.flows.home import show_home
from bot.registry import Feature
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user


def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    show_home(runtime_of(context), caller_of(context))


def register(app: App) -> None:
    app.event("app_home_opened")(shown_to_user(handle_app_home_opened))


FEATURE = Feature(name="home", register=register, order=10)
