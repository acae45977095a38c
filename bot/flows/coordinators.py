"""`/mentor admin coordinators add|remove|list` and `/mentor admin audit [N]`.

Appointing reads the person from Slack first (outside any transaction): bots and
deactivated accounts are refused. Removing never leaves the workspace without a
coordinator. Every attempt is audited, refused ones included.
"""

from __future__ import annotations

from typing import Any

from bot.errors import InvalidInput, NotFound
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services import audit
from bot.services.coordinators import (
    Removal,
    add_coordinator,
    list_coordinators,
    remove_coordinator,
)
from bot.slack.errors import SlackError
from bot.views.coordinators import (
    USAGE,
    build_audit,
    build_coordinator_list,
    ephemeral,
    parse_count,
    parse_person,
)
from models.enums import AuditOutcome

log = get_logger("twoway.coordinators")


def coordinators_command(
    runtime: Runtime, caller: Caller, *, verb: str, words: list[str]
) -> dict[str, Any]:
    """The answer to `/mentor admin coordinators VERB [@person]`."""
    action = f"admin.coordinators.{verb if verb in {'add', 'remove', 'list'} else 'help'}"
    caller = require_coordinator(runtime, caller, action=action)
    if verb in {"", "list"}:
        with runtime.unit_of_work() as session:
            found = list_coordinators(
                session,
                workspace_id=caller.workspace_id,
                bootstrap_ids=runtime.settings.coordinators,
            )
        return build_coordinator_list(found)
    if verb not in {"add", "remove"}:
        return ephemeral(USAGE)
    user_id = _person(runtime, words)
    if verb == "add":
        return _add(runtime, caller, user_id)
    return _remove(runtime, caller, user_id)


def _person(runtime: Runtime, words: list[str]) -> str:
    user_id, handle = parse_person(words)
    if user_id is not None:
        return user_id
    assert handle is not None
    found = runtime.gateway.user_id_for_handle(handle)
    if found is None:
        raise NotFound(f"I couldn't find anyone called @{handle} in this workspace.")
    return found


def _record(
    runtime: Runtime, caller: Caller, action: str, user_id: str, outcome: AuditOutcome, why: str
) -> None:
    with runtime.unit_of_work() as session:
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=action,
            outcome=outcome,
            target_type="user",
            target_id=user_id,
            detail={"result": why},
        )


def _add(runtime: Runtime, caller: Caller, user_id: str) -> dict[str, Any]:
    action = "admin.coordinators.add"
    try:
        user = runtime.gateway.user_info(user_id)
    except SlackError as error:
        _record(runtime, caller, action, user_id, AuditOutcome.DENIED, f"slack:{error.code}")
        if error.code != "user_not_found":
            raise  # Slack is unreachable: the error handler says so
        raise InvalidInput(
            f"Slack doesn't know <@{user_id}> as a member of this workspace."
        ) from error
    refusal = (
        "is a bot; only people can coordinate"
        if user.is_bot
        else "is deactivated"
        if user.is_deleted
        else None
    )
    if refusal:
        _record(runtime, caller, action, user_id, AuditOutcome.DENIED, refusal.split(";")[0])
        return ephemeral(f"<@{user_id}> {refusal}, so I did not add them.")
    with runtime.unit_of_work() as session:
        added = add_coordinator(
            session, workspace_id=caller.workspace_id, user_id=user_id, added_by=caller.user_id
        )
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=action,
            target_type="user",
            target_id=user_id,
            detail={"result": "added" if added else "already"},
        )
    log.info("coordinator.add", user_id=caller.user_id, target=user_id, added=added)
    if not added:
        return ephemeral(f"<@{user_id}> is a coordinator already; nothing changed.")
    return ephemeral(
        f":white_check_mark: <@{user_id}> is now a coordinator: they can run "
        "`/mentor admin` commands here."
    )


REMOVAL_ANSWERS = {
    Removal.REMOVED: ":white_check_mark: <@{u}> is no longer a coordinator.",
    Removal.NOT_APPOINTED: (
        "<@{u}> was not added in twoway, so there is nothing to remove. People set in "
        "TWOWAY_COORDINATORS, and workspace admins, are coordinators by that setting."
    ),
    Removal.LAST: (
        "<@{u}> is the last coordinator, so I kept them: add someone else first with "
        "`/mentor admin coordinators add @person`."
    ),
}


def _remove(runtime: Runtime, caller: Caller, user_id: str) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        removal = remove_coordinator(
            session,
            workspace_id=caller.workspace_id,
            user_id=user_id,
            bootstrap_ids=runtime.settings.coordinators,
        )
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action="admin.coordinators.remove",
            outcome=AuditOutcome.OK if removal == Removal.REMOVED else AuditOutcome.DENIED,
            target_type="user",
            target_id=user_id,
            detail={"result": removal.value},
        )
    log.info("coordinator.remove", user_id=caller.user_id, target=user_id, result=removal.value)
    return ephemeral(REMOVAL_ANSWERS[removal].format(u=user_id))


def audit_command(runtime: Runtime, caller: Caller, *, words: list[str]) -> dict[str, Any]:
    """The latest admin actions, in the viewer's timezone."""
    caller = require_coordinator(runtime, caller, action="admin.audit")
    count = parse_count(words)
    with runtime.unit_of_work() as session:
        entries = audit.recent(session, workspace_id=caller.workspace_id, limit=count)
        audit.record(
            session, workspace_id=caller.workspace_id, actor=caller.user_id, action="admin.audit"
        )
    return build_audit(entries, timezone=caller.timezone)
