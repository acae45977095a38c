"""A workspace's life: it stops sending when Slack says the app or its token is gone, it
starts again when auth.test succeeds, and after any resume it sends only what is still
worth sending.

Stopping comes from Slack's `app_uninstalled` and `tokens_revoked` events (and from the
outbox, when a send is refused with a token error). Starting again comes from a
successful auth.test: at start-up (`bot.runtime.bootstrap_workspace`) and from the
scheduler, which re-checks a token stopped by an error at most every TOKEN_CHECK_EVERY.
An app that was uninstalled is not polled: a reinstall means a new token, so a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.logging import get_logger
from bot.runtime import Runtime
from bot.services.deliveries import stop_workspace
from bot.services.stale_deliveries import cancel_too_late
from bot.services.workspaces import (
    WorkspaceState,
    reactivate_workspace,
    record_stop,
    record_token_check,
    workspace_state,
)
from bot.slack.errors import SlackError

log = get_logger("twoway.workspace")

UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
TOKEN_CHECK_EVERY = timedelta(minutes=15)

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
ALWAYS = None

# How long after its due time each kind of message is still worth sending. Past that, a
# planned row is cancelled ("too late: ...") instead of sent, whatever held it back.
STILL_WORTH_SENDING: dict[str, timedelta | None] = {
    # the pair's rhythm: a nudge or an agenda for a period that is over helps no one; a
    # period lasts a week at the shortest, a nudge is due on its first day, an agenda a day
    # later (or an hour before the session picked), so these end inside the period
    "session_nudge": 4 * DAY,
    "agenda": 3 * DAY,
    "rhythm_slots": DAY,  # the times offered start two hours ahead
    "session_planned": DAY,
    "session_invite": DAY,  # an .ics for a session that may be over
    "session_skipped": 2 * DAY,
    # after a session: prompts and confirmations of what a person just did
    "checkin": 3 * DAY,
    "checkin_thanks": HOUR,
    "action_followup": 7 * DAY,
    "action_item_moved": HOUR,
    "goals_set": 7 * DAY,
    # surveys close by themselves; a reminder is superseded by the next one five days on
    "survey": 7 * DAY,
    "survey_reminder": 3 * DAY,
    # enrolment answers and notices the person acted on themselves
    "enrolment_confirmed": DAY,
    "enrolment_refused": DAY,
    "partner_left": 7 * DAY,
    "pair_farewell": 7 * DAY,
    # the coordinators' channel: previews are superseded by the next round or request
    "rotation_preview": 7 * DAY,
    "match_preview": DAY,
    "match_preview_csv": DAY,  # planned when its preview is posted
    "program_created": DAY,
    "stall_note": 7 * DAY,
    "admin_stall_alert": 7 * DAY,
    "admin_stall_digest": 7 * DAY,  # the stall alerts of one tick, gathered
    "coordinator_stall_reminder": 7 * DAY,  # a stall lasts weeks; a new one has a new key
    "admin_report": DAY,  # asked for by a coordinator, who asks again after a long outage
    "admin_report_chart": DAY,
    "admin_export": DAY,
    "announcement_preview": DAY,
    "invitation_report": DAY,
    # a coordinator's words to people: an announcement can be about a date that has
    # passed; an invitation to an open program stays valid (the report counts what dropped)
    "announcement": DAY,
    "invitation": 7 * DAY,
    # celebrations: asks and notices keep a while; a month's digest is stale by mid-month;
    # a win everyone approved is always posted (its renderer re-checks consent at send time)
    "celebration_offer": 7 * DAY,
    "celebration_review": 14 * DAY,
    "celebration_closed": 7 * DAY,
    "celebration_no_channel": 7 * DAY,
    "sponsor_digest": 14 * DAY,
    "celebration_post": ALWAYS,
    # never dropped: what a person wrote for someone, a pair's start, a call for help
    "feedback": ALWAYS,
    "pair_intro": ALWAYS,
    "admin_help": ALWAYS,
    "admin_pair_paused": ALWAYS,
    # a Home is rendered from the database when it is sent: never out of date
    "home_publish": ALWAYS,
    # what a person asked for about themselves: their data, their record
    "mydata_json": ALWAYS,
    "mydata_markdown": ALWAYS,
    "record_message": ALWAYS,
    "record_file": ALWAYS,
}


# -- Slack says the app or its token is gone ----------------------------------------------


def stop_after_uninstall(runtime: Runtime, *, team_id: str | None, event_id: str | None) -> bool:
    """`app_uninstalled`: nothing more is sent for this workspace; True when it stopped."""
    return _stop(runtime, team_id=team_id, event_id=event_id, reason=UNINSTALLED)


def stop_after_tokens_revoked(
    runtime: Runtime, *, team_id: str | None, event_id: str | None, bot_user_ids: Sequence[str]
) -> bool:
    """`tokens_revoked`: stop only when the bot's own token is among them (people's user
    tokens are not ours to use); True when the workspace stopped."""
    with runtime.unit_of_work() as session:
        state = workspace_state(session, team_id=team_id) if team_id else None
    ours = bool(bot_user_ids) and (
        state is None or state.bot_user_id is None or state.bot_user_id in bot_user_ids
    )
    if not ours:
        log.info(
            "workspace.tokens_revoked",
            team_id=team_id,
            workspace_id=state.workspace_id if state else None,
            bot_tokens=len(bot_user_ids),
            event_id=event_id,
        )
        return False
    return _stop(runtime, team_id=team_id, event_id=event_id, reason=TOKENS_REVOKED)


def _stop(runtime: Runtime, *, team_id: str | None, event_id: str | None, reason: str) -> bool:
    now = runtime.clock.now()
    with runtime.unit_of_work() as session:
        state = workspace_state(session, team_id=team_id) if team_id else None
        if state is not None and state.active:
            stop_workspace(session, workspace_id=state.workspace_id, reason=reason)
            record_stop(session, workspace_id=state.workspace_id, now=now, reason=reason)
    if state is None:
        log.warning("workspace.event_ignored", team_id=team_id, reason=reason, event_id=event_id)
        return False
    if not state.active:
        log.info("workspace.already_stopped", team_id=team_id, workspace_id=state.workspace_id)
        return False
    log.warning(
        "workspace.stopped",
        team_id=team_id,
        workspace_id=state.workspace_id,
        reason=reason,
        event_id=event_id,
    )
    return True


# -- the scheduler: is the token back, and what is too late now --------------------------


def _check_due(state: WorkspaceState | None, now: datetime) -> bool:
    if state is None or state.active or state.inactive_reason == UNINSTALLED:
        return False
    last = state.last_token_check
    return last is None or now - last >= TOKEN_CHECK_EVERY


def check_stopped_token(runtime: Runtime, now: datetime) -> int:
    """Planner: a workspace stopped by a token error asks auth.test again (at most every
    TOKEN_CHECK_EVERY) and sends again once Slack accepts the token; 1 when reactivated."""
    if runtime.workspace_id is None:  # no Slack token in this process: nothing to check
        return 0
    with runtime.unit_of_work() as session:
        state = workspace_state(session, workspace_id=runtime.workspace_id)
    if not _check_due(state, now):
        return 0
    assert state is not None
    refused: str | None = None
    was: str | None = None
    try:
        identity = runtime.gateway.auth_test()  # no transaction open
    except SlackError as error:
        refused = error.code
    else:
        if identity.get("team_id") != state.team_id:
            refused = "another_workspace"
    with runtime.unit_of_work() as session:
        record_token_check(session, workspace_id=state.workspace_id, now=now, refused_with=refused)
        if refused is None:
            was = reactivate_workspace(session, workspace_id=state.workspace_id, now=now)
    if refused is not None:
        log.info("workspace.token_refused", workspace_id=state.workspace_id, code=refused)
        return 0
    log.warning(
        "workspace.reactivated",
        team_id=state.team_id,
        workspace_id=state.workspace_id,
        was=was,
        checked_by="scheduler",
    )
    return 1


def cancel_stale_deliveries(runtime: Runtime, now: datetime) -> int:
    """Planner, before the outbox: planned rows past their kind's limit are cancelled."""
    with runtime.unit_of_work() as session:
        counts = cancel_too_late(session, now=now, limits=STILL_WORTH_SENDING)
    for kind, count in sorted(counts.items()):
        log.info("deliveries.too_late", kind=kind, count=count, now=now.isoformat())
    return sum(counts.values())


PLANNERS = (("token_check", check_stopped_token), ("too_late", cancel_stale_deliveries))
