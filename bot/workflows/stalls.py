"""Plan and render stall notes (to the pair) and stall alerts (to the coordinators, once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.runtime import Runtime
from bot.scheduler.outbox import Outgoing, RenderContext, Renderer, admin_alert
from bot.services.deliveries import delivery_key, existing_keys, plan_many
from bot.services.pairs import PairDetails, pair_details_many
from bot.services.rhythm import active_pair_ids
from bot.services.stalls import ALERT_AFTER, last_answered, last_held, skips_by_person, stall_of
from bot.views.stalls import build_stall_alert, build_stall_note
from bot.workflows.rhythm_messages import why_not
from models import Delivery

NOTE, ALERT = "stall_note", "admin_stall_alert"


def plan_stall_notes(runtime: Runtime, now: datetime) -> int:
    """One note per stall when it reaches 2 missed periods; one alert when it reaches 3."""
    with runtime.unit_of_work() as session:
        ids = active_pair_ids(session)
        if not ids:
            return 0
        pairs = pair_details_many(session, ids)
        held = last_held(session, ids)
        rows: list[dict[str, object]] = []
        for pair in pairs.values():
            stall = stall_of(pair, held.get(pair.id), now)
            if stall is None:
                continue
            base = {
                "workspace_id": pair.workspace_id,
                "pair_id": pair.id,
                "period": f"since-{stall.since}",
                "due_at": now,
            }
            rows.append(
                base
                | {
                    "kind": NOTE,
                    "unique_key": delivery_key(
                        NOTE, period=f"since-{stall.since}", pair_id=pair.id
                    ),
                    "payload": {"missed": stall.missed, "period_key": stall.current.key},
                }
            )
            if stall.missed >= ALERT_AFTER:
                rows.append(
                    base
                    | {
                        "kind": ALERT,
                        "unique_key": delivery_key(
                            ALERT, period=f"since-{stall.since}", pair_id=pair.id
                        ),
                        "payload": {"missed": stall.missed},
                    }
                )
        known = existing_keys(session, [str(row["unique_key"]) for row in rows])
        return plan_many(session, [row for row in rows if row["unique_key"] not in known])


def render_stall_note(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    pair = context.pairs.get(delivery.pair_id or 0)
    reason = why_not(pair)
    if reason or pair is None:
        return reason or "pair is gone"
    message = build_stall_note(
        pair, period_key=str(delivery.payload["period_key"]), missed=int(delivery.payload["missed"])
    )
    return Outgoing(text=message["text"], blocks=message["blocks"], channel=pair.dm_channel_id)


def render_stall_alert(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    def build(pair: PairDetails) -> dict[str, Any]:
        by_participant = {p.participant_id: p.user_id for p in pair.people}
        answered = last_answered(context.session, [pair.id]).get(pair.id)
        skips = skips_by_person(context.session, [pair.id]).get(pair.id, {})
        return build_stall_alert(
            pair,
            missed=int(delivery.payload["missed"]),
            last_answered=by_participant.get(answered) if answered else None,
            skips={by_participant[p]: n for p, n in skips.items() if p in by_participant},
        )

    return admin_alert(context, delivery, build)


STALL_RENDERERS: dict[str, Renderer] = {NOTE: render_stall_note, ALERT: render_stall_alert}
