"""Who is asking, and may they: the request's `Caller` and the coordinator check."""

from __future__ import annotations

from dataclasses import replace

from bot.errors import NotAllowed
from bot.flows.caller import Caller
from bot.flows.profiles import is_admin, store_profile, sync_profile
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.callers import caller_facts
from bot.services.coordinators import coordinator_refusal
from bot.slack.errors import SlackError
from bot.slack.gateway import SlackUser

log = get_logger("twoway.access")


def resolve_caller(runtime: Runtime, *, user_id: str, channel_id: str | None) -> Caller:
    """One read of the database; no Slack call (this runs before the ack)."""
    workspace_id = runtime.require_workspace()
    now = runtime.clock.now()
    with runtime.reading() as session:
        facts = caller_facts(
            session,
            workspace_id=workspace_id,
            user_id=user_id,
            bootstrap_ids=runtime.settings.coordinators,
            now=now,
        )
    return Caller(
        workspace_id=workspace_id,
        user_id=user_id,
        channel_id=channel_id,
        timezone=facts.timezone,
        now=now,
        is_coordinator=facts.is_coordinator,
        admin_channel_id=facts.admin_channel_id,
        profile_fresh=facts.profile_fresh,
        known=facts.known,
    )


def refreshed(runtime: Runtime, caller: Caller) -> Caller:
    """The caller re-read after storing their Slack profile (users.info when it is stale)."""
    if caller.profile_fresh:
        return caller
    try:
        sync_profile(runtime, caller.user_id)
    except SlackError as error:  # keep what we know; the check still runs
        log.warning("profile.sync_failed", user_id=caller.user_id, code=error.code)
        return caller
    fresh = resolve_caller(runtime, user_id=caller.user_id, channel_id=caller.channel_id)
    return replace(fresh, now=caller.now)


def _checked(runtime: Runtime, caller: Caller) -> tuple[Caller, SlackUser | None]:
    """The caller as the coordinator check needs them, touching Slack only when it matters.

    - a fresh profile, or a known member without the admin flag: the database decides (a
      promotion reaches us as a `user_change` event, which refreshes known members);
    - a known member who is a coordinator only by a stale admin flag: refreshed (users.info,
      stored in their existing row), so a demoted admin loses the right;
    - a stranger (no member row, not in TWOWAY_COORDINATORS nor the coordinators table):
      only as a Slack admin can they be a coordinator, so users.info is read (once per
      attempt) and returned, to be stored only if they are allowed;
    - an appointed coordinator without a row: no call before the check (the channel decides).
    """
    if caller.profile_fresh:
        return caller, None
    if caller.known:
        return (refreshed(runtime, caller), None) if caller.is_coordinator else (caller, None)
    if caller.is_coordinator:
        return caller, None
    try:
        user = runtime.gateway.user_info(caller.user_id)  # outside any transaction
    except SlackError as error:
        log.warning("profile.sync_failed", user_id=caller.user_id, code=error.code)
        return caller, None
    return replace(caller, is_coordinator=is_admin(user)), user


def require_coordinator(
    runtime: Runtime, caller: Caller, *, action: str, setting_channel: bool = False
) -> Caller:
    """The caller, when a coordinator in the admin channel; else `NotAllowed` (audited).

    A refused person leaves the audit row and nothing else: a member row (their Slack
    profile) is stored only once the check has let them through.
    `setting_channel` lets a coordinator run the command that chooses the channel anywhere.
    """
    caller, profile = _checked(runtime, caller)
    with runtime.unit_of_work() as session:
        refusal = coordinator_refusal(
            session,
            workspace_id=caller.workspace_id,
            admin_channel_id=caller.admin_channel_id,
            is_coordinator=caller.is_coordinator,
            user_id=caller.user_id,
            channel_id=caller.channel_id or "",
            action=action,
            setting_channel=setting_channel,
        )
    if refusal:
        raise NotAllowed(refusal)
    if caller.known:
        return caller
    if profile is not None:  # a Slack admin seen for the first time: now a member
        store_profile(runtime, profile)
        fresh = resolve_caller(runtime, user_id=caller.user_id, channel_id=caller.channel_id)
        return replace(fresh, now=caller.now)
    return refreshed(runtime, caller)  # an appointed coordinator: their timezone and name
