"""Data rights: `/mentor mydata` (a copy of everything, in the person's own DM),
`/mentor forget` (erasure, partners told kindly) and the same for an operator's CLI.

Erasure and the partners' notes are one transaction (the outbox); Slack is called after
the commit. The audit row says only that a participant's data was erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.messages.data_rights import MYDATA_JSON, MYDATA_MARKDOWN, mydata_key
from bot.messages.enrolment import PARTNER_LEFT, partner_left_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.audit import record
from bot.services.deliveries import plan_now
from bot.services.erasure import erase_person
from bot.services.erasure_registry import erased_kinds
from bot.services.members import find_member
from bot.services.personal_data import choose_workspace, personal_data
from bot.views.data_rights import (
    export_json,
    export_markdown,
    forget_confirmation,
    forgotten,
    mydata_planned,
    nothing_stored,
)

log = get_logger("twoway.data_rights")

ERASED_ACTION = "participant.data_erased"


def request_mydata(runtime: Runtime, caller: Caller) -> dict[str, Any]:
    """Plan the two files (JSON, Markdown) to the caller's own DM; rendered at send time."""
    planned: list[int | None] = []
    with runtime.unit_of_work() as session:
        member = find_member(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
        if member is None:
            return nothing_stored()
        stamp = f"{caller.now:%Y%m%dT%H%M%S}"
        for kind in (MYDATA_JSON, MYDATA_MARKDOWN):
            planned.append(
                plan_now(
                    session,
                    workspace_id=caller.workspace_id,
                    kind=kind,
                    key=mydata_key(member.id, stamp, kind),
                    now=caller.now,
                    payload={"member_id": member.id},
                )
            )
    ids = [i for i in planned if i is not None]
    log.info("mydata.planned", user_id=caller.user_id, delivery_ids=ids)
    send_now(runtime, ids)
    return mydata_planned()


def forget_prompt() -> dict[str, Any]:
    """What forgetting does, with the button that does it."""
    return forget_confirmation(erased_kinds())


@dataclass(frozen=True)
class ErasureReport:
    found: bool
    participations: int
    ended_pairs: int
    partners_told: int
    texts_cleared: int


def erase_and_tell(
    runtime: Runtime,
    *,
    workspace_id: int,
    user_id: str,
    now: datetime,
    by: str,
    send: bool = True,
) -> ErasureReport:
    """Erase the person and plan one kind note per partner, then send the notes.

    `by` is "self" or "operator"; it is all the audit row says. Without `send` (a CLI
    with no Slack token) the notes stay planned for the scheduler.
    """
    with runtime.unit_of_work() as session:
        erasure = erase_person(session, workspace_id=workspace_id, user_id=user_id, now=now)
        planned = [
            plan_now(
                session,
                workspace_id=workspace_id,
                kind=PARTNER_LEFT,
                key=partner_left_key(partner.first_pair_id, partner.user_id),
                now=now,
                participant_id=partner.participant_ids[0],
                payload={"participant_ids": list(partner.participant_ids)},
            )
            for partner in erasure.partners
        ]
        if erasure.found:
            record(
                session,
                workspace_id=workspace_id,
                actor=None,
                action=ERASED_ACTION,
                target_type="participant",
                detail={"requested_by": by},
            )
    forget = getattr(runtime.gateway.dm_cache, "forget_user", None)
    if forget is not None:
        forget(user_id)
    ids = [i for i in planned if i is not None]
    log.info("person.erased", by=by, ended_pairs=len(erasure.ended_pair_ids), delivery_ids=ids)
    if ids and send:
        send_now(runtime, ids)
    return ErasureReport(
        erasure.found,
        erasure.participations,
        len(erasure.ended_pair_ids),
        len(erasure.partners),
        erasure.texts_cleared,
    )


def forget_me(runtime: Runtime, caller: Caller) -> dict[str, Any]:
    """The confirmed `/mentor forget`: the caller, and only the caller, is erased."""
    report = erase_and_tell(
        runtime, workspace_id=caller.workspace_id, user_id=caller.user_id, now=caller.now, by="self"
    )
    return forgotten(partners=report.partners_told, found=report.found)


def export_person(
    runtime: Runtime, *, workspace_id: int, user_id: str, markdown: bool
) -> str | None:
    """The operator's export (`twoway person export`): the file's text, or None."""
    with runtime.unit_of_work() as session:
        data = personal_data(session, workspace_id=workspace_id, user_id=user_id)
    if data is None:
        return None
    return export_markdown(data) if markdown else export_json(data)


def workspace_for_operator(runtime: Runtime, *, team_id: str | None) -> int:
    """The workspace a CLI command acts on: the only one, or the one `--team` names."""
    with runtime.unit_of_work() as session:
        return choose_workspace(session, team_id=team_id)
