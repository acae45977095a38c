"""Who is asking, and may they: the request's `Caller` and the coordinator check."""

from __future__ import annotations

from dataclasses import replace

from bot.errors import NotAllowed
from bot.flows.caller import Caller
from bot.flows.profiles import sync_profile
from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.callers import caller_facts
from bot.services.coordinators import coordinator_refusal
from bot.slack.errors import SlackError

log = get_logger("twoway.access")


def resolve_caller(runtime: Runtime, *, user_id: str, channel_id: str | None) -> Caller:
    """One read of the database; no Slack call (this runs before the ack)."""
    workspace_id = runtime.require_workspace()
    now = runtime.clock.now()
    with runtime.unit_of_work() as session:
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
    """The caller with a Slack profile no older than a day (users.info when stale)."""
    if caller.profile_fresh:
        return caller
    try:
        sync_profile(runtime, caller.user_id)
    except SlackError as error:  # keep what we know; the check below still runs
        log.warning("profile.sync_failed", user_id=caller.user_id, code=error.code)
        return caller
    fresh = resolve_caller(runtime, user_id=caller.user_id, channel_id=caller.channel_id)
    return replace(fresh, now=caller.now)


def require_coordinator(
    runtime: Runtime, caller: Caller, *, action: str, setting_channel: bool = False
) -> Caller:
    """The caller, when a coordinator in the admin channel; else `NotAllowed` (audited).

    `setting_channel` lets a coordinator run the command that chooses the channel anywhere.
    """
    caller = refreshed(runtime, caller)
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
    return caller
