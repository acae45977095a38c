"""`twoway report` and `twoway export`: the CLI's words around `bot.flows.reports`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from bot.errors import TwowayError
from bot.flows.reports import Written, write_export, write_report
from bot.runtime import Runtime
from bot.views.reports import parse_quarter

Fail = Callable[[str], NoReturn]


def _said(written: Written, what: str) -> str:
    return f"{what} written to {written.directory}: {', '.join(written.files)}"


def run_report(runtime: Runtime, *, program: str, quarter: str | None, out: str, fail: Fail) -> str:
    try:
        written = write_report(
            runtime,
            program=program,
            quarter=parse_quarter(quarter),
            out=Path(out),
            now=runtime.clock.now(),
        )
    except TwowayError as error:
        fail(error.user_message.replace("*", ""))
    except OSError as error:
        fail(f"cannot write to {out}: {error.strerror or error}")
    return _said(written, "report")


def run_export(runtime: Runtime, *, program: str, out: str, fail: Fail) -> str:
    try:
        written = write_export(runtime, program=program, out=Path(out), now=runtime.clock.now())
    except TwowayError as error:
        fail(error.user_message.replace("*", ""))
    except OSError as error:
        fail(f"cannot write to {out}: {error.strerror or error}")
    return _said(written, "export")
