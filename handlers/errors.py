"""The one app-wide error policy: friendly words in Slack, details only in the log.

Listeners are wrapped with `shown_to_user` when registered. Bolt's own error hook
(`app.error`) also uses `handle_error`, but only errors raised before a listener
acks may reach it safely: in slack_bolt's thread runner an exception raised after
`ack()` resets the ack it already has, so a refusal raised a few milliseconds after
the ack makes Bolt wait 3 s and pass the request to the next listener. The wrapper
catches everything a listener raises and answers it here instead — errors are not
hidden, they get the same log line and error id as any other.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse, Respond

from bot.db import database_unavailable
from bot.errors import TwowayError
from bot.logging import get_logger
from bot.slack.errors import SlackError
from handlers.middleware import request_ids

log = get_logger("twoway.error")

Listener = Callable[..., None]

DATABASE_UNREACHABLE = (
    ":warning: twoway can't reach its database right now, please try again in a minute."
)


def describe_error(error: Exception, body: dict[str, Any]) -> str:
    """Log the error (with an id for unexpected ones) and return what the person is told."""
    if isinstance(error, TwowayError):
        log.info("request.refused", error=type(error).__name__, **request_ids(body))
        return error.user_message
    if database_unavailable(error):
        log.warning(
            "request.database_unreachable",
            error=type(error).__name__,
            driver_error=type(getattr(error, "orig", None) or error).__name__,
            **request_ids(body),
        )
        return DATABASE_UNREACHABLE
    error_id = uuid.uuid4().hex[:8]
    log.error(
        "request.failed",
        error_id=error_id,
        error=type(error).__name__,
        slack_code=error.code if isinstance(error, SlackError) else None,
        exc_info=error,
        **request_ids(body),
    )
    return (
        ":warning: Sorry, something went wrong on our side. Part of what you asked may "
        "have been done, so check before trying again. If it keeps happening, tell your "
        f"coordinator (error id `{error_id}`)."
    )


def handle_error(
    error: Exception,
    body: dict[str, Any],
    respond: Respond | None,
    response: BoltResponse | None = None,
) -> BoltResponse | None:
    """Bolt's hook, reached by errors raised before a listener ran (in the middleware).

    Every request gets a 200 with the words where Slack shows them, never Bolt's 500 (which
    Slack shows as "dispatch_failed" and answers with retries): a slash command in the HTTP
    answer itself (an ephemeral message), a modal by replacing its view, a button through
    its response_url; an event is acknowledged, its failure is in the log.
    """
    message = describe_error(error, body)
    if body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": message})
    if body.get("type") == "view_submission":
        return BoltResponse(
            status=200, body={"response_action": "update", "view": _error_modal(message)}
        )
    if respond is not None and (body.get("response_url") or body.get("response_urls")):
        _answer_quietly(respond, message, body)
    return BoltResponse(status=200, body="")


def _answer_quietly(respond: Respond, message: str, body: dict[str, Any]) -> None:
    """The error's words through the response_url; a response_url that fails too (a forged
    or expired one) is logged, never raised: the error path must not make a 500 of its own."""
    try:
        respond(text=message, response_type="ephemeral", replace_original=False)
    except Exception as failed:
        log.warning("request.answer_failed", error=type(failed).__name__, **request_ids(body))


def _error_modal(message: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "twoway"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message}}],
    }


_ALWAYS = ("ack", "body", "respond")


def shown_to_user(listener: Listener) -> Listener:
    """Wrap a listener so whatever it raises, before or after its ack, is answered politely."""
    own = inspect.getfullargspec(listener).args
    wanted = [*own, *(name for name in _ALWAYS if name not in own)]

    @functools.wraps(listener)
    def shielded(**kwargs: Any) -> None:
        try:
            listener(**{name: kwargs[name] for name in own})
        except Exception as error:
            body: dict[str, Any] = kwargs["body"]
            ack, respond = kwargs["ack"], kwargs["respond"]
            message = describe_error(error, body)
            if ack.response is None:
                if body.get("type") == "view_submission":
                    ack(response_action="update", view=_error_modal(message))
                    return
                ack()
            if respond is not None and (body.get("response_url") or body.get("response_urls")):
                _answer_quietly(respond, message, body)

    # Bolt injects arguments by the names it reads from the signature: ask for the
    # listener's own plus what answering an error needs.
    shielded.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in wanted]
    )
    del shielded.__wrapped__  # so that Bolt reads the signature above, not the listener's
    return shielded
