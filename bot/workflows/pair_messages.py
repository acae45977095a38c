"""Renderers for the outbox rows that introduce a pair and thank it at the end of a round."""

from __future__ import annotations

from functools import partial

from sqlalchemy.orm import Session

from bot.scheduler.outbox import Outgoing, Renderer
from bot.services.pairs import pair_details, record_intro
from bot.views.pairs import build_farewell, build_intro
from models import Delivery
from models.enums import PairStatus


def render_intro(session: Session, delivery: Delivery) -> Outgoing | str:
    assert delivery.pair_id is not None
    pair = pair_details(session, delivery.pair_id)
    if pair.status != PairStatus.ACTIVE:
        return f"pair is {pair.status.value}"
    message = build_intro(pair)
    return Outgoing(
        text=message["text"],
        blocks=message["blocks"],
        open_with=pair.user_ids,
        on_sent=partial(_remember_intro, pair_id=pair.id),
    )


def _remember_intro(session: Session, channel: str, ts: str, *, pair_id: int) -> None:
    record_intro(session, pair_id=pair_id, channel=channel, ts=ts)


def render_farewell(session: Session, delivery: Delivery) -> Outgoing | str:
    assert delivery.pair_id is not None
    pair = pair_details(session, delivery.pair_id)
    if not pair.dm_channel_id:
        return "pair was never introduced"
    message = build_farewell(pair)
    return Outgoing(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


PAIR_RENDERERS: dict[str, Renderer] = {
    "pair_intro": render_intro,
    "pair_farewell": render_farewell,
}
