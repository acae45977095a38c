"""`/mentor record [program]`: the caller's own record for a period, as a message and a
Markdown file in their own DM (through the outbox), to forward to their manager.

Only learnings the person ticks are included; the participant id of the modal is checked
against the caller again on submit, so nobody can build someone else's record.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.messages.data_rights import RECORD_FILE, RECORD_MESSAGE, record_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.deliveries import plan_now
from bot.services.idempotency import first_time
from bot.services.personal_record import check_owner, record_setup
from bot.views.personal_record import RecordChoice, build_record_modal

log = get_logger("twoway.record")


def open_record_modal(
    runtime: Runtime, caller: Caller, *, name: str | None, trigger_id: str
) -> None:
    with runtime.unit_of_work() as session:
        setup = record_setup(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id, name=name
        )
    runtime.gateway.open_view(
        trigger_id=trigger_id, view=build_record_modal(setup, today=caller.today)
    )


def submit_record(
    runtime: Runtime,
    caller: Caller,
    *,
    participant_id: int,
    choice: RecordChoice,
    view_id: str,
    accept: Callable[[], None],
) -> None:
    """Plan the message and the file once per form; the modal closes after the commit."""
    planned: list[int | None] = []
    with runtime.unit_of_work() as session:
        check_owner(
            session,
            participant_id=participant_id,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
        )
        if first_time(session, key=f"view:{view_id}", kind="record"):
            payload = {
                "start": choice.start.isoformat(),
                "end": choice.end.isoformat(),
                "learning_ids": choice.learning_ids,
            }
            for kind in (RECORD_MESSAGE, RECORD_FILE):
                planned.append(
                    plan_now(
                        session,
                        workspace_id=caller.workspace_id,
                        kind=kind,
                        key=record_key(participant_id, view_id, kind),
                        now=caller.now,
                        participant_id=participant_id,
                        payload=payload,
                    )
                )
    accept()
    ids = [i for i in planned if i is not None]
    log.info("record.planned", participant_id=participant_id, delivery_ids=ids)
    send_now(runtime, ids)
