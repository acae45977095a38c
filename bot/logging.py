"""Structured logging: one JSON object per line, with ids and timings, never tokens or user text.

Everything (structlog and the standard library: Bolt, uvicorn, APScheduler) goes through ONE
stdlib handler, whose lock writes each record whole: structlog's own printer writing beside a
handler once ran two records into one line under load. Exceptions are rendered with their
stack; a database error's message is replaced by what is safe to keep (the constraint, the
table, the SQL), because PostgreSQL's `DETAIL: Failing row contains (…)` and SQLAlchemy's
`[parameters: …]` carry the row, and with it what people wrote.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import structlog
from sqlalchemy.exc import StatementError

_SECRET_KEYS = frozenset({"token", "slack_bot_token", "slack_app_token", "signing_secret"})
_DRIVER_MODULES = ("psycopg", "psycopg2")
_SQL_SHOWN = 300  # characters of a failed statement kept in the log (SQL only, no values)


def _drop_secrets(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in _SECRET_KEYS & event_dict.keys():
        event_dict[key] = "[redacted]"
    return event_dict


def _exception_of(exc_info: Any) -> BaseException | None:
    """The exception an `exc_info` value names (an exception, a sys.exc_info() tuple, or True)."""
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1] if isinstance(exc_info[1], BaseException) else None
    return sys.exc_info()[1] if exc_info else None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The exception and every exception it was raised from or while handling."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend((current.__cause__, current.__context__))


def _is_database_error(error: BaseException) -> bool:
    driver = type(error).__module__.split(".")[0] in _DRIVER_MODULES
    return driver or isinstance(error, (StatementError, sqlite3.Error))


def _driver_summary(error: BaseException) -> str:
    """The driver's words without the values: PostgreSQL's primary message up to any quoted
    value (`invalid input syntax for type integer: "…"`), plus the names its diagnostics give."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    if primary is None:  # sqlite3, or psycopg's client side (connection): names, never rows
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    diag = error.diag  # type: ignore[attr-defined]
    names = {
        "sqlstate": diag.sqlstate,
        "table": diag.table_name,
        "column": diag.column_name,
        "constraint": diag.constraint_name,
    }
    known = "".join(f", {key} {value}" for key, value in names.items() if value)
    return f"{primary.split(': ')[0]} (details removed{known})"


def _safe_message(error: BaseException) -> str:
    if isinstance(error, StatementError):
        orig = error.orig
        driver = (
            f"({type(orig).__module__}.{type(orig).__qualname__}) {_driver_summary(orig)}"
            if orig is not None
            else "(parameters removed)"
        )
        statement = " ".join((error.statement or "").split())
        if len(statement) > _SQL_SHOWN:
            statement = statement[:_SQL_SHOWN] + "…"
        return f"{driver} [SQL: {statement}]" if statement else driver
    return _driver_summary(error)


def _scrub_database_errors(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Render `exc_info` with its stack, with every database error's message made safe.

    The replacement is exact: each database error's own text is swapped wherever it shows
    (the stack, or a library's message such as Bolt's "Failed … (error: …)").
    """
    error = _exception_of(event_dict.get("exc_info"))
    event_dict = structlog.processors.format_exc_info(_logger, _name, event_dict)
    if error is None:
        return event_dict
    safe = {str(e): _safe_message(e) for e in _chain(error) if _is_database_error(e) and str(e)}
    if not safe:
        return event_dict
    # One pass, longest first: a wrapper's text contains its cause's, and a safe text must
    # not be rewritten again.
    unsafe = re.compile("|".join(map(re.escape, sorted(safe, key=len, reverse=True))))
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = unsafe.sub(lambda match: safe[match.group(0)], value)
    return event_dict


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Route structlog and the standard library to `stream` (stderr) as one JSON object a line."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        _scrub_database_errors,
        _drop_secrets,
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.stdlib.BoundLogger,
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)  # libraries speak only when something is wrong
    logging.getLogger("twoway").setLevel(level)
    for name in ("uvicorn.error",):
        logging.getLogger(name).setLevel(logging.INFO)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
