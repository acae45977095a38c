"""`/mentor admin invite [program] #channel | @group | @person…`: one invitation DM to each
member not yet enrolled, once per person and program, through the outbox, with a report.

Slack is asked who is in the channels and groups, and (users.info) who of them is a bot
or deactivated, before any transaction; the rows and the report are planned in one.
`invite_channel(runtime, caller, program_id=..., channel_id=...)` and `open_invite_modal`
are what another flow (the status insights) calls to invite a channel or prefill the modal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.errors import NotFound
from bot.flows.access import require_coordinator
from bot.flows.announcements import deliver, refresh_report
from bot.flows.caller import Caller
from bot.flows.enrolment import open_join_modal
from bot.logging import get_logger
from bot.outbox.engine import send_now, worker_for
from bot.runtime import Runtime
from bot.services.announcement_copies import (
    deactivated_among,
    enrolled_among,
    plan_invitations,
)
from bot.services.announcements import INVITATION, open_programs, program_names
from bot.slack.errors import SlackError
from bot.slack.gateway import SlackUser
from bot.views.invitations import Targets, build_invite_modal

log = get_logger("twoway.invitations")
UNREACHABLE = {
    "channel_not_found": "I can't see <#{id}>: invite me to it first (`/invite @twoway`).",
    "not_in_channel": "I'm not in <#{id}>: invite me to it first (`/invite @twoway`).",
    "no_such_subteam": "I can't find that user group.",
}


def _program_id(runtime: Runtime, caller: Caller, name: str | None) -> int:
    with runtime.unit_of_work() as session:
        programs = open_programs(session, workspace_id=caller.workspace_id)
    if name:
        found = next((pid for pid, n in programs if n.lower() == name.strip().lower()), None)
        if found is None:
            raise NotFound(f"There is no open program called “{name[:80]}”.")
        return found
    if len(programs) == 1:
        return programs[0][0]
    if not programs:
        raise NotFound("There is no open program to invite people to yet.")
    names = ", ".join(f"`{n}`" for _, n in programs[:10])
    raise NotFound(f"Several programs are open ({names}); add the program's name.")


def _members(runtime: Runtime, targets: Targets) -> list[str]:
    """Everyone the targets name, in order, once (Slack calls; no transaction open)."""
    people: list[str] = []
    for channel in targets.channels:
        try:
            people += runtime.gateway.channel_members(channel)
        except SlackError as error:
            words = UNREACHABLE.get(error.code, "I couldn't read the members of <#{id}>.")
            raise NotFound(words.format(id=channel)) from error
    for group in targets.usergroups:
        try:
            people += runtime.gateway.usergroup_members(group)
        except SlackError as error:
            raise NotFound(
                UNREACHABLE.get(error.code, "I couldn't read that user group.")
            ) from error
    people += list(targets.users)
    return list(dict.fromkeys(people))


# From this many people on, one users.list pass (200 a call) reads them instead of one
# users.info call each: a 1,000-person channel is 5 calls, not 1,000 at about 100 a minute.
LIST_THE_WORKSPACE_FROM = 50


def _profiles(runtime: Runtime, user_ids: list[str]) -> dict[str, SlackUser | None]:
    """Each person's Slack profile (None when Slack does not know them)."""
    listed = runtime.gateway.workspace_users() if len(user_ids) >= LIST_THE_WORKSPACE_FROM else {}
    found: dict[str, SlackUser | None] = {}
    for user_id in user_ids:
        if user_id in listed:
            found[user_id] = listed[user_id]
            continue
        try:  # few people, or someone from another workspace in a shared channel
            found[user_id] = runtime.gateway.user_info(user_id)
        except SlackError as error:
            log.warning("invite.user_unknown", user_id=user_id, code=error.code)
            found[user_id] = None
    return found


def _sort_people(
    runtime: Runtime, caller: Caller, program_id: int, people: list[str]
) -> tuple[list[str], dict[str, int]]:
    """Who gets an invitation, and how many were left out and why."""
    with runtime.unit_of_work() as session:
        enrolled = enrolled_among(session, program_id=program_id, user_ids=people)
        deactivated = deactivated_among(session, workspace_id=caller.workspace_id, user_ids=people)
    skipped = {
        "bots": 0,
        "deactivated": sum(1 for u in people if u in deactivated and u not in enrolled),
        "already enrolled": sum(1 for u in people if u in enrolled),
    }
    invitees: list[str] = []
    profiles = _profiles(runtime, [u for u in people if u not in enrolled | deactivated])
    for user_id, user in profiles.items():
        if user is not None and (user.is_bot or user_id == "USLACKBOT"):
            skipped["bots"] += 1
        elif user is None or user.is_deleted:
            skipped["deactivated"] += 1
        else:
            invitees.append(user_id)
    return invitees, skipped


def invite(runtime: Runtime, caller: Caller, *, program_name: str | None, targets: Targets) -> str:
    """`/mentor admin invite`: check, resolve, plan, send; a note for the coordinator."""
    caller = require_coordinator(runtime, caller, action="admin.invite")
    return _invite(runtime, caller, _program_id(runtime, caller, program_name), targets)


def invite_channel(runtime: Runtime, caller: Caller, *, program_id: int, channel_id: str) -> str:
    """Invite a channel's members to a program (for other flows, e.g. a status button)."""
    caller = require_coordinator(runtime, caller, action="admin.invite")
    return _invite(runtime, caller, program_id, Targets(channels=(channel_id,)))


def submit_invite_modal(
    runtime: Runtime,
    caller: Caller,
    *,
    program_id: int,
    targets: Targets,
    accept: Callable[[], None],
) -> str:
    """The invite modal's submission (opened in the admin channel, so checked as from
    there); the modal closes once the check passed, and the report tells the rest."""
    caller = require_coordinator(
        runtime, replace(caller, channel_id=caller.admin_channel_id), action="admin.invite"
    )
    accept()
    return _invite(runtime, caller, program_id, targets)


def open_invite_modal(
    runtime: Runtime,
    caller: Caller,
    *,
    trigger_id: str,
    program_id: int | None = None,
    channel_id: str | None = None,
) -> None:
    """The invite modal, optionally prefilled with a program and a channel."""
    caller = require_coordinator(runtime, caller, action="admin.invite")
    with runtime.unit_of_work() as session:
        programs = open_programs(session, workspace_id=caller.workspace_id)
    if not programs:
        raise NotFound("There is no open program to invite people to yet.")
    view = build_invite_modal(programs, program_id=program_id, channel=channel_id)
    runtime.gateway.open_view(trigger_id=trigger_id, view=view)


def _invite(runtime: Runtime, caller: Caller, program_id: int, targets: Targets) -> str:
    with runtime.unit_of_work() as session:
        if program_id not in dict(open_programs(session, workspace_id=caller.workspace_id)):
            raise NotFound("That program is closed or gone.")
    people = _members(runtime, targets)
    invitees, skipped = _sort_people(runtime, caller, program_id, people)
    with runtime.unit_of_work() as session:
        invited = plan_invitations(
            session,
            workspace_id=caller.workspace_id,
            program_id=program_id,
            user_id=caller.user_id,
            targets=targets.as_list(),
            invitees=invitees,
            skipped=skipped,
            now=caller.now,
        )
        name = program_names(session, [program_id]).get(program_id, "")
    send_now(runtime, invited.report)  # the report first, so that it can be edited in place
    announcement_id = invited.announcement_id
    deliver(
        runtime,
        caller.now,
        kinds=(INVITATION,),
        worker=worker_for(f"invite-{announcement_id}"),
        on_progress=lambda: refresh_report(runtime, announcement_id, caller.now),
    )
    refresh_report(runtime, announcement_id, caller.now)
    log.info(
        "invite.done",
        announcement_id=announcement_id,
        people=len(people),
        invited=len(invitees) - invited.already_invited,
    )
    left_out = sum(skipped.values()) + invited.already_invited
    return (
        f"Inviting {len(invitees) - invited.already_invited} people to *{name}* "
        f"({left_out} left out: already enrolled or invited, bots, deactivated). "
        "The report in the admin channel shows how it goes."
    )


def join_from_invitation(
    runtime: Runtime, caller: Caller, *, program_id: int, trigger_id: str
) -> None:
    """An invitation's Join button: the enrolment modal for that program."""
    with runtime.unit_of_work() as session:
        name = program_names(session, [program_id]).get(program_id)
    if name is None:
        raise NotFound("This program no longer exists.")
    open_join_modal(runtime, caller, name=name, trigger_id=trigger_id)
