"""The coordinator check every `/mentor admin ...` listener runs first."""

from __future__ import annotations

from bot.errors import NotAllowed
from bot.runtime import Runtime
from bot.services.coordinators import coordinator_refusal
from bot.workflows.profiles import sync_profile
from models import Workspace


def require_coordinator(
    runtime: Runtime,
    *,
    user_id: str,
    channel_id: str,
    action: str,
    setting_channel: bool = False,
) -> Workspace:
    """The workspace, for a coordinator in the admin channel; else `NotAllowed` (audited)."""
    profile = sync_profile(runtime, user_id)
    with runtime.unit_of_work() as session:
        workspace = session.get(Workspace, runtime.workspace_id)
        assert workspace is not None
        refusal = coordinator_refusal(
            session,
            workspace=workspace,
            user_id=user_id,
            channel_id=channel_id,
            action=action,
            bootstrap_ids=runtime.settings.coordinators,
            is_slack_admin=profile.is_slack_admin,
            setting_channel=setting_channel,
        )
    if refusal:
        raise NotAllowed(refusal)
    return workspace
