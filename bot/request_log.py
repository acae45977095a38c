"""One log line per Slack request, written once the answer is known: its status and duration.

Bolt's global middleware runs before the listeners and its `next()` returns nothing, so a
middleware cannot see the answer (it logged `status: null`, 0.0 ms for every request). The
answer is what `App.dispatch` returns, in HTTP and in Socket Mode alike, so the line is
written around it. The ids come from the request middleware, which runs only after Bolt
checked the signature: a refused request is logged with its status and no ids it claimed.
"""

from __future__ import annotations

import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.logging import get_logger

log = get_logger("twoway.request")

REQUEST_IDS_KEY = "twoway_request_ids"


def note_request_ids(request: BoltRequest, ids: dict[str, Any]) -> None:
    """Keep the verified request's ids for its log line."""
    request.context[REQUEST_IDS_KEY] = ids


class LoggedApp(App):
    """A Bolt app that logs each request with the status it answered and how long it took."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        try:
            response = super().dispatch(req)
        except BaseException:
            _log_answer(req, status=500, started=started, exc_info=True)
            raise
        _log_answer(req, status=response.status, started=started)
        return response


def _log_answer(req: BoltRequest, *, status: int, started: float, **extra: Any) -> None:
    write = log.warning if status >= 500 else log.info
    write(
        "slack.request",
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 3),
        mode=req.mode,
        **(req.context.get(REQUEST_IDS_KEY) or {}),
        **extra,
    )
