"""Recognise a request handled before: Slack retries, double clicks, double submissions."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ProcessedRequest


def first_time(session: Session, *, key: str, kind: str) -> bool:
    """Record `key`; False when it was already recorded (the caller then does nothing).

    Runs in a savepoint so that a duplicate leaves the caller's transaction usable.
    """
    try:
        with session.begin_nested():
            session.add(ProcessedRequest(key=key[:200], kind=kind))
    except IntegrityError:
        return False
    return True
