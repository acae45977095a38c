"""`/mentor actions` and an action item's follow-up buttons: done, dropped, still on it.

Only the owner acts on an item. Done and dropped answer in the message that had the
button; "still on it" takes a new date in a modal and confirms it in the owner's DM,
through the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.errors import NotAllowed
from bot.flows.caller import Caller
from bot.flows.checkins import page_of
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.action_items import (
    close_item,
    item_of_owner,
    move_item,
    open_items_of_user,
    plan_moved_notice,
)
from bot.services.home_refresh import mark_homes
from bot.services.idempotency import first_time
from bot.views.learning_log import (
    ACTION_ITEMS_PER_PAGE,
    build_actions_list,
    build_item_closed,
    build_later_modal,
    item_not_open,
)
from models.enums import ActionStatus

log = get_logger("twoway.action_items")


@dataclass(frozen=True)
class Closed:
    """What the owner is told, and the refreshed list when the button was in one."""

    told: dict[str, Any]
    listing: dict[str, Any] | None


def action_items_page(runtime: Runtime, caller: Caller, *, page: int) -> dict[str, Any]:
    """The caller's open items, soonest due first."""
    entries, total, page = page_of(
        runtime, caller, open_items_of_user, page=page, per_page=ACTION_ITEMS_PER_PAGE
    )
    return build_actions_list(entries, total=total, page=page)


def mark_done(runtime: Runtime, caller: Caller, *, item_id: int, list_page: int | None) -> Closed:
    return _close(runtime, caller, item_id=item_id, status=ActionStatus.DONE, list_page=list_page)


def mark_dropped(
    runtime: Runtime, caller: Caller, *, item_id: int, list_page: int | None
) -> Closed:
    return _close(
        runtime, caller, item_id=item_id, status=ActionStatus.DROPPED, list_page=list_page
    )


def _close(
    runtime: Runtime, caller: Caller, *, item_id: int, status: ActionStatus, list_page: int | None
) -> Closed:
    """Done or dropped, once; `list_page` is the `/mentor actions` page the button was on."""
    with runtime.unit_of_work() as session:
        item, changed = close_item(
            session, item_id=item_id, user_id=caller.user_id, status=status, now=caller.now
        )
        if changed:
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id],
                now=caller.now,
            )
    if changed:
        log.info("action_item.closed", action_item_id=item_id, status=status.value)
    told = build_item_closed(item, changed=changed)
    if list_page is None:
        return Closed(told, None)
    return Closed(told, action_items_page(runtime, caller, page=list_page))


def open_later(runtime: Runtime, caller: Caller, *, item_id: int, trigger_id: str) -> str | None:
    """Open the "still on it" modal; a sentence instead when the item is closed already."""
    with runtime.unit_of_work() as session:
        item = item_of_owner(session, item_id=item_id, user_id=caller.user_id)
    if item.status != ActionStatus.OPEN:
        return item_not_open(item)
    runtime.gateway.open_view(trigger_id=trigger_id, view=build_later_modal(item))
    return None


def move(
    runtime: Runtime,
    caller: Caller,
    *,
    item_id: int,
    due_on: date,
    view_id: str,
    accepted: Callable[[], object],
) -> None:
    """Still on it: a new date, a new follow-up, and a confirmation in the owner's DM.

    Refusals (not the owner, closed meanwhile) raise before `accepted` (the listener's
    ack), so they show in the modal; the confirmation is sent after it.
    """
    with runtime.unit_of_work() as session:
        item_of_owner(session, item_id=item_id, user_id=caller.user_id)
        if not first_time(session, key=f"view:{view_id}", kind="action_later"):
            planned = None
        else:
            item, changed = move_item(
                session, item_id=item_id, user_id=caller.user_id, due_on=due_on, now=caller.now
            )
            if not changed:
                raise NotAllowed(item_not_open(item))  # rolls back: nothing was recorded
            planned = plan_moved_notice(session, item=item, view_id=view_id, now=caller.now)
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id],
                now=caller.now,
            )
    accepted()
    if planned is None:
        return
    log.info("action_item.moved", action_item_id=item_id, delivery_id=planned)
    send_now(runtime, [planned])
