"""Typed access to what the middleware put on Bolt's context."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.runtime import Runtime

RUNTIME_KEY = "twoway_runtime"


def runtime_of(context: BoltContext) -> Runtime:
    runtime = context.get(RUNTIME_KEY)
    if not isinstance(runtime, Runtime):  # pragma: no cover - wiring error
        raise RuntimeError("twoway runtime missing from the Bolt context")
    return runtime
