"""Taking part over time: pause, resume, leave (partners told through the outbox), and
keeping a member's Slack profile fresh from `user_change` events."""

from __future__ import annotations

from datetime import date

from bot.flows.caller import Caller
from bot.flows.profiles import store_profile
from bot.logging import get_logger
from bot.messages.enrolment import PARTNER_LEFT, partner_left_key
from bot.outbox.engine import send_now
from bot.runtime import Runtime
from bot.services.deliveries import plan_now
from bot.services.enrolment import LeaveResult, ProgramRef, StatusChange
from bot.services.home_refresh import mark_homes
from bot.services.participation import leave, leave_candidates, pause, resume
from bot.slack.gateway import SlackUser

log = get_logger("twoway.enrolment")


def pause_participation(runtime: Runtime, caller: Caller, *, until: date | None) -> StatusChange:
    """Pause every current participation; `until` must be after the caller's own today."""
    with runtime.unit_of_work() as session:
        change = pause(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            until=until,
            today=caller.today,
        )
        if change.changed:  # a no-op (nothing to pause or resume) changes no row
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id],
                now=caller.now,
            )
    log.info("enrolment.paused", user_id=caller.user_id, changed=len(change.changed))
    return change


def resume_participation(runtime: Runtime, caller: Caller) -> StatusChange:
    with runtime.unit_of_work() as session:
        change = resume(session, workspace_id=caller.workspace_id, user_id=caller.user_id)
        if change.changed:  # a no-op (nothing to pause or resume) changes no row
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id],
                now=caller.now,
            )
    log.info("enrolment.resumed", user_id=caller.user_id, changed=len(change.changed))
    return change


def leave_choices(runtime: Runtime, caller: Caller, *, name: str | None) -> list[ProgramRef]:
    """What `/mentor leave [name]` asks to confirm (refused when there is nothing to leave)."""
    with runtime.unit_of_work() as session:
        return leave_candidates(
            session, workspace_id=caller.workspace_id, user_id=caller.user_id, name=name
        )


def leave_programs(runtime: Runtime, caller: Caller, *, participant_ids: list[int]) -> LeaveResult:
    """Leave and plan one kind note per partner in one transaction, then send the notes.

    A double click finds nothing left to change and plans nothing; a note Slack
    refuses now stays planned and the scheduler sends it later.
    """
    with runtime.unit_of_work() as session:
        result = leave(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            participant_ids=participant_ids,
            now=caller.now,
        )
        if result.left:
            mark_homes(
                session,
                workspace_id=caller.workspace_id,
                user_ids=[caller.user_id, *(p.user_id for p in result.partners)],
                now=caller.now,
            )
        planned = [
            plan_now(
                session,
                workspace_id=caller.workspace_id,
                kind=PARTNER_LEFT,
                key=partner_left_key(partner.first_pair_id, partner.user_id),
                now=caller.now,
                participant_id=partner.participant_ids[0],
                payload={"participant_ids": list(partner.participant_ids)},
            )
            for partner in result.partners
        ]
    delivery_ids = [i for i in planned if i is not None]
    log.info(
        "enrolment.left",
        user_id=caller.user_id,
        participant_ids=participant_ids,
        ended_pair_ids=list(result.ended_pair_ids),
        partners=[p.user_id for p in result.partners],
        delivery_ids=delivery_ids,
    )
    send_now(runtime, delivery_ids)
    return result


def refresh_member(runtime: Runtime, *, user: SlackUser) -> None:
    """A `user_change` event: refresh a known member's name, timezone and deleted flag
    (people the bot never met are not stored)."""
    store_profile(runtime, user, only_known=True)
