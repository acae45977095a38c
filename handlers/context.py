"""Typed access to what the middleware put on Bolt's context: the runtime and the caller."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.flows.caller import Caller
from bot.runtime import Runtime

RUNTIME_KEY = "twoway_runtime"
CALLER_KEY = "twoway_caller"


def runtime_of(context: BoltContext) -> Runtime:
    runtime = context.get(RUNTIME_KEY)
    if not isinstance(runtime, Runtime):  # pragma: no cover - wiring error
        raise RuntimeError("twoway runtime missing from the Bolt context")
    return runtime


def caller_of(context: BoltContext) -> Caller:
    """The person behind this request (every command, button and modal has one)."""
    caller = context.get(CALLER_KEY)
    if not isinstance(caller, Caller):  # pragma: no cover - wiring error
        raise RuntimeError("no caller resolved for this request")
    return caller
