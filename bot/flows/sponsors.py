"""`/mentor admin sponsors add|remove|list`: coordinators choose who gets the monthly digest.

Coordinator-only, in the admin channel, every change audited (refusals are audited by
`require_coordinator`).
"""

from __future__ import annotations

from typing import Any

from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services import audit
from bot.services.sponsors import add_sponsor, list_sponsors, member_by_name, remove_sponsor
from bot.views.sponsors import (
    build_sponsor_changed,
    build_sponsor_list,
    build_unknown_person,
    build_usage,
    parse_person,
)

log = get_logger("twoway.sponsors")


def sponsors_command(
    runtime: Runtime, caller: Caller, *, verb: str, words: list[str]
) -> dict[str, Any]:
    caller = require_coordinator(runtime, caller, action=f"admin.sponsors.{verb or 'help'}")
    if verb == "list":
        with runtime.unit_of_work() as session:
            return build_sponsor_list(list_sponsors(session, workspace_id=caller.workspace_id))
    if verb not in {"add", "remove"}:
        return build_usage()
    user_id, name = parse_person(words)
    with runtime.unit_of_work() as session:
        if user_id is None and name:
            user_id = member_by_name(session, workspace_id=caller.workspace_id, name=name)
        if user_id is None:
            return build_unknown_person(name)
        if verb == "add":
            changed = add_sponsor(
                session,
                workspace_id=caller.workspace_id,
                user_id=user_id,
                added_by=caller.user_id,
                now=caller.now,
            )
        else:
            changed = remove_sponsor(session, workspace_id=caller.workspace_id, user_id=user_id)
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=f"admin.sponsors.{verb}",
            target_type="member",
            target_id=user_id,
            detail={"changed": changed},
        )
    log.info("sponsors.changed", verb=verb, user_id=caller.user_id, target=user_id, changed=changed)
    return build_sponsor_changed(user_id=user_id, added=verb == "add", changed=changed)
