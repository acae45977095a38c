"""Typed readers for what comes back from Slack: button values, menu choices, modal metadata.

Slack returns what our builders put there, but a signed request can carry anything: text,
negative numbers, ten thousand digits, numbers past the database's INTEGER. Every id is
read here, bounded to what a primary key can be, and anything else is refused with words
a person can act on (never the generic error, never a database error).
"""

from __future__ import annotations

import re

from bot.errors import InvalidInput

ID_MAX = 2**31 - 1  # INTEGER primary keys on both databases
PAGE_MAX = 10_000
_DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII only: str.isdigit() accepts "²", which int() refuses
_PERIOD_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")

STALE_BUTTON = "This button is from an old message; run the command again."
STALE_FORM = "This form is out of date. Close it and run the command again."


class StaleButton(InvalidInput):
    """A button, menu or link whose value we did not write (or no longer understand)."""

    user_message = STALE_BUTTON


class StaleForm(InvalidInput):
    """A modal whose metadata we did not write; shown in place of the modal."""

    user_message = STALE_FORM


def bounded_int(value: object, *, low: int, high: int) -> int | None:
    """`value` as an int in [low, high] when it is one (an int, or ASCII digits); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if low <= number <= high else None


def id_or_none(value: object) -> int | None:
    """A database id (1 .. 2^31-1), or None for anything else."""
    return bounded_int(value, low=1, high=ID_MAX)


def button_id(value: object) -> int:
    """The id a button or menu option carries; `StaleButton` when it is not one."""
    found = id_or_none(value)
    if found is None:
        raise StaleButton()
    return found


def metadata_id(value: object) -> int:
    """The id a modal's `private_metadata` carries; `StaleForm` when it is not one."""
    found = id_or_none(value)
    if found is None:
        raise StaleForm()
    return found


def page_number(value: object) -> int:
    """A list page from a pager button (0-based); `StaleButton` when it is not one."""
    found = bounded_int(value, low=0, high=PAGE_MAX)
    if found is None:
        raise StaleButton()
    return found


def period_key_or_none(value: object) -> str | None:
    """A period key as the rhythm writes them (e.g. `2026-W18`), or None."""
    return value if isinstance(value, str) and _PERIOD_KEY.fullmatch(value) else None
