"""`/mentor feedback`: what the person received and gave, a page at a time."""

from __future__ import annotations

from typing import Any

from bot.flows.caller import Caller
from bot.flows.checkins import page_of
from bot.runtime import Runtime
from bot.services.feedback import feedback_of_user
from bot.views.learning_log import FEEDBACK_PER_PAGE, build_feedback_list


def feedback_page(runtime: Runtime, caller: Caller, *, page: int) -> dict[str, Any]:
    """The caller's own feedback, given and received; nobody else's, whoever asks."""
    entries, total, page = page_of(
        runtime, caller, feedback_of_user, page=page, per_page=FEEDBACK_PER_PAGE
    )
    return build_feedback_list(entries, total=total, page=page)
