"""Placeholder while surveys are written: plans and renders nothing yet."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Runtime
from bot.scheduler.outbox import Renderer

SURVEY_RENDERERS: dict[str, Renderer] = {}


def plan_surveys(runtime: Runtime, now: datetime) -> int:
    return 0
