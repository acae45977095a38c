"""The one app-wide error handler: friendly words in Slack, details only in the log."""

from __future__ import annotations

import uuid
from typing import Any

from slack_bolt import Respond

from bot.errors import TwowayError
from bot.logging import get_logger
from bot.slack.errors import SlackError
from handlers.middleware import _request_ids

log = get_logger("twoway.error")


def handle_error(error: Exception, body: dict[str, Any], respond: Respond | None) -> None:
    if isinstance(error, TwowayError):
        log.info("request.refused", error=type(error).__name__, **_request_ids(body))
        message = error.user_message
    else:
        error_id = uuid.uuid4().hex[:8]
        log.error(
            "request.failed",
            error_id=error_id,
            error=type(error).__name__,
            slack_code=error.code if isinstance(error, SlackError) else None,
            exc_info=error,
            **_request_ids(body),
        )
        message = (
            ":warning: Sorry, something went wrong on our side and nothing was changed. "
            f"Please try again in a moment. If it keeps happening, tell your coordinator "
            f"(error id `{error_id}`)."
        )
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        respond(text=message, response_type="ephemeral", replace_original=False)
