"""Celebrations: draft a win (from `/mentor celebrate` or a goal's offer), approve, edit,
decline or withdraw it, and the coordinators' choice of the celebration channel.

Each step is one short transaction that also plans its messages (the outbox); Slack is
called after the commit. Ids from buttons are checked against the pair's members.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.errors import NotAllowed
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services import audit
from bot.services import celebrations as service
from bot.services.celebrations import Outcome
from bot.services.idempotency import first_time
from bot.services.pairs import pair_for_member, pairs_of_user
from bot.services.programs import find_program
from bot.views.celebrations import (
    CelebrationIds,
    build_answer,
    build_channel_modal,
    build_draft_modal,
    build_no_pair,
)
from models.celebration import CelebrationStatus
from models.enums import AuditOutcome

log = get_logger("twoway.celebrations")


def _sent(runtime: Runtime, outcome: Outcome, caller: Caller, event: str) -> dict[str, Any]:
    log.info(
        f"celebration.{event}",
        celebration_id=outcome.celebration.id,
        user_id=caller.user_id,
        result=outcome.result,
        deliveries=len(outcome.delivery_ids),
    )
    if outcome.delivery_ids:
        send_now(runtime, outcome.delivery_ids)
    return build_answer(outcome.result)


def open_draft(
    runtime: Runtime, caller: Caller, *, trigger_id: str, goal_id: int | None = None
) -> dict[str, Any] | None:
    """The draft form for the caller's pair (the goal's pair, from an offer); None once open."""
    what = ""
    with runtime.unit_of_work() as session:
        if goal_id is not None:
            pair, _, what = service.goal_to_celebrate(
                session, goal_id=goal_id, user_id=caller.user_id
            )
        else:
            pairs = pairs_of_user(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
            if not pairs:
                return build_no_pair()
            pair = pairs[0]
    view = build_draft_modal(
        callback=CelebrationIds.DRAFT_CALLBACK,
        metadata=f"{pair.id}:{goal_id or 0}",
        partners=pair.partners_of(caller.user_id),
        what=what,
    )
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)
    return None


def submit_draft(
    runtime: Runtime,
    caller: Caller,
    *,
    pair_id: int,
    goal_id: int | None,
    what: str,
    for_whom: str,
    view_id: str,
    accept: Callable[[], None],
) -> None:
    """Save the win once per form, approved by its author; every member gets their copy."""
    outcome: Outcome | None = None
    with runtime.unit_of_work() as session:
        pair_for_member(session, pair_id=pair_id, user_id=caller.user_id)
        if first_time(session, key=f"view:{view_id}", kind="celebration"):
            outcome = service.draft(
                session,
                workspace_id=caller.workspace_id,
                pair_id=pair_id,
                user_id=caller.user_id,
                goal_id=goal_id,
                what_changed=what,
                for_whom=for_whom,
                now=caller.now,
            )
    accept()
    if outcome is not None:
        _sent(runtime, outcome, caller, "drafted")


def approve(runtime: Runtime, caller: Caller, *, celebration_id: int, version: int) -> dict:
    with runtime.unit_of_work() as session:
        outcome = service.approve(
            session,
            celebration_id=celebration_id,
            version=version,
            user_id=caller.user_id,
            now=caller.now,
        )
    return _sent(runtime, outcome, caller, "approve")


def close(
    runtime: Runtime, caller: Caller, *, celebration_id: int, status: CelebrationStatus
) -> dict[str, Any]:
    """Decline or withdraw; the other members are told."""
    with runtime.unit_of_work() as session:
        outcome = service.close(
            session,
            celebration_id=celebration_id,
            user_id=caller.user_id,
            status=status,
            now=caller.now,
        )
    return _sent(runtime, outcome, caller, status.value)


def decline(runtime: Runtime, caller: Caller, *, celebration_id: int) -> dict[str, Any]:
    return close(runtime, caller, celebration_id=celebration_id, status=CelebrationStatus.DECLINED)


def withdraw(runtime: Runtime, caller: Caller, *, celebration_id: int) -> dict[str, Any]:
    return close(runtime, caller, celebration_id=celebration_id, status=CelebrationStatus.WITHDRAWN)


def open_edit(
    runtime: Runtime, caller: Caller, *, celebration_id: int, version: int, trigger_id: str
) -> dict[str, Any] | None:
    """The form filled with the text as it is; an answer instead when it can't be edited."""
    with runtime.unit_of_work() as session:
        found = service.for_member(session, celebration_id=celebration_id, user_id=caller.user_id)
    if found.status == CelebrationStatus.APPROVED:
        return build_answer("already_approved")
    if found.status != CelebrationStatus.PENDING:
        return build_answer("closed")
    if found.version != version:
        return build_answer("stale")
    view = build_draft_modal(
        callback=CelebrationIds.EDIT_CALLBACK,
        metadata=f"{found.id}:{found.version}",
        partners=found.pair.partners_of(caller.user_id),
        what=found.what_changed,
        for_whom=found.for_whom,
    )
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)
    return None


def submit_edit(
    runtime: Runtime,
    caller: Caller,
    *,
    celebration_id: int,
    version: int,
    what: str,
    for_whom: str,
    accept: Callable[[], None],
) -> None:
    """A new version of the text; the others approve it (a stale form changes nothing)."""
    with runtime.unit_of_work() as session:
        outcome = service.edit(
            session,
            celebration_id=celebration_id,
            version=version,
            user_id=caller.user_id,
            what_changed=what,
            for_whom=for_whom,
            now=caller.now,
        )
    accept()
    _sent(runtime, outcome, caller, "edit")


def celebrations_command(
    runtime: Runtime, caller: Caller, *, verb: str, name: str | None, trigger_id: str
) -> dict[str, Any] | None:
    """`/mentor admin celebrations channel NAME`: a form to choose the program's channel."""
    caller = require_coordinator(runtime, caller, action=f"admin.celebrations.{verb or 'help'}")
    if verb != "channel":
        return build_answer("channel_usage")
    with runtime.unit_of_work() as session:
        program = find_program(session, workspace_id=caller.workspace_id, name=name)
        view = build_channel_modal(
            program_id=program.id, name=program.name, current=program.celebration_channel_id
        )
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)
    return None


def submit_channel(
    runtime: Runtime, caller: Caller, *, program_id: int, channel_id: str | None
) -> None:
    """Save the channel (audited); only coordinators (a form can be replayed by anyone)."""
    with runtime.unit_of_work() as session:
        if not caller.is_coordinator:
            audit.record(
                session,
                workspace_id=caller.workspace_id,
                actor=caller.user_id,
                action="admin.celebrations.channel",
                outcome=AuditOutcome.DENIED,
                target_type="program",
                target_id=program_id,
            )
    if not caller.is_coordinator:
        raise NotAllowed("Only coordinators choose where wins are celebrated.")
    with runtime.unit_of_work() as session:
        previous = service.set_channel(
            session, workspace_id=caller.workspace_id, program_id=program_id, channel_id=channel_id
        )
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action="admin.celebrations.channel",
            target_type="program",
            target_id=program_id,
            detail={"from": previous, "to": channel_id},
        )
    log.info("celebration.channel", program_id=program_id, user_id=caller.user_id)
