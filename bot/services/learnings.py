"""The learning log: private to its author unless shared with the pair."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Learning
from models.enums import Visibility


def add_learning(
    session: Session,
    *,
    participant_id: int,
    text: str,
    pair_id: int | None = None,
    session_id: int | None = None,
    visibility: Visibility = Visibility.PRIVATE,
) -> Learning:
    learning = Learning(
        participant_id=participant_id,
        pair_id=pair_id,
        session_id=session_id,
        text=text,
        visibility=visibility,
    )
    session.add(learning)
    session.flush()
    return learning
