"""The App Home tab, published whenever a person opens it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext

from bot.services.home import home_status
from bot.views.home import build_home
from handlers.context import runtime_of
from handlers.errors import shown_to_user


def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    user_id = event["user"]
    runtime = runtime_of(context)
    with runtime.unit_of_work() as session:
        status = home_status(
            session,
            workspace_id=runtime.workspace_id or 0,
            user_id=user_id,
            today=datetime.now(UTC).date(),
        )
    runtime.gateway.publish_home(user_id=user_id, view=build_home(user_id=user_id, status=status))


def register(app: App) -> None:
    app.event("app_home_opened")(shown_to_user(handle_app_home_opened))
