"""`/mentor admin announce|announcements|invite`, the announce and invite modals, the
preview's Send / Edit / Cancel, and an invitation's Join button.

Each listener acks, parses, calls one flow of `bot.flows.announcements` or
`bot.flows.invitations`, and answers; the flows own the checks, the database and Slack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import SLASH_COMMAND, Subcommand, parse_command
from bot.flows import announcements, invitations
from bot.messages.announcements import ANNOUNCEMENT_RENDERERS
from bot.registry import Feature
from bot.services.announcements import ANNOUNCEMENT, INVITATION, PREVIEW, REPORT
from bot.views.announcements import AnnounceIds, parse_announce_submission
from bot.views.invitations import InviteIds, parse_invite_args, parse_invite_submission
from bot.views.payloads import button_id, id_or_none
from handlers.context import caller_of, runtime_of
from handlers.errors import shown_to_user
from handlers.router import Router
from handlers.routing import admin_subcommand


def _tell(respond: Respond, text: str | None) -> None:
    if text:
        respond(text=text, response_type="ephemeral", replace_original=False)


def handle_announce_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    args = parse_command(command.get("text")).args
    announcements.open_announce_modal(
        runtime_of(context),
        caller_of(context),
        program_name=" ".join(args[1:]) or None,
        trigger_id=command["trigger_id"],
    )


def handle_list_command(ack: Ack, context: BoltContext, respond: Respond) -> None:
    ack()
    _tell(respond, announcements.list_announcements(runtime_of(context), caller_of(context)))


def handle_invite_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """With targets: invite them now. Without: the invite modal."""
    ack()
    targets = parse_invite_args(parse_command(command.get("text")).args[1:])
    if targets.empty:
        invitations.open_invite_modal(
            runtime_of(context), caller_of(context), trigger_id=command["trigger_id"]
        )
        return
    note = invitations.invite(
        runtime_of(context),
        caller_of(context),
        program_name=targets.program_name,
        targets=targets,
    )
    _tell(respond, note)


def handle_announce_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Field errors go back in the ack; a valid form is saved, acked, then previewed."""
    caller = caller_of(context)
    form = parse_announce_submission(
        view["state"]["values"], timezone=caller.timezone, now=caller.now
    )
    if isinstance(form, dict):
        ack(response_action="errors", errors=form)
        return
    errors = announcements.submit_announcement(
        runtime_of(context),
        caller,
        form=form,
        announcement_id=id_or_none(view.get("private_metadata")),
        accept=ack,
    )
    if errors:
        ack(response_action="errors", errors=errors)


def handle_invite_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    parsed = parse_invite_submission(view["state"]["values"])
    if isinstance(parsed, dict):
        ack(response_action="errors", errors=parsed)
        return
    program_id, targets = parsed
    invitations.submit_invite_modal(
        runtime_of(context), caller_of(context), program_id=program_id, targets=targets, accept=ack
    )


def handle_send(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    note = announcements.send_announcement(
        runtime_of(context), caller_of(context), announcement_id=button_id(action.get("value"))
    )
    _tell(respond, note)


def handle_edit(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    ack()
    note = announcements.edit_announcement(
        runtime_of(context),
        caller_of(context),
        announcement_id=button_id(action.get("value")),
        trigger_id=str(body.get("trigger_id") or ""),
    )
    _tell(respond, note)


def handle_cancel(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    ack()
    note = announcements.cancel_announcement(
        runtime_of(context), caller_of(context), announcement_id=button_id(action.get("value"))
    )
    _tell(respond, note)


def handle_join(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
) -> None:
    ack()
    invitations.join_from_invitation(
        runtime_of(context),
        caller_of(context),
        program_id=button_id(action.get("value")),
        trigger_id=str(body.get("trigger_id") or ""),
    )


def handle_link(ack: Ack) -> None:
    """A link button opens its URL in the browser; Slack still sends the click."""
    ack()


def register(app: Router) -> None:
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("announce")])(
        shown_to_user(handle_announce_command)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("announcements")])(
        shown_to_user(handle_list_command)
    )
    app.command(SLASH_COMMAND, matchers=[admin_subcommand("invite")])(
        shown_to_user(handle_invite_command)
    )
    app.view(AnnounceIds.CALLBACK.value)(shown_to_user(handle_announce_submission))
    app.view(InviteIds.CALLBACK.value)(shown_to_user(handle_invite_submission))
    app.action(AnnounceIds.SEND.value)(shown_to_user(handle_send))
    app.action(AnnounceIds.EDIT.value)(shown_to_user(handle_edit))
    app.action(AnnounceIds.CANCEL.value)(shown_to_user(handle_cancel))
    app.action(AnnounceIds.JOIN.value)(shown_to_user(handle_join))
    app.action(AnnounceIds.LINK.value)(shown_to_user(handle_link))


FEATURE = Feature(
    name="announcements",
    register=register,
    commands=(
        Subcommand(
            "admin announce [program]",
            "Write an announcement, preview it, then send it now or later.",
            True,
        ),
        Subcommand("admin announcements", "Recent announcements with how they went.", True),
        Subcommand(
            "admin invite [program] #channel | @group | @person",
            "Invite people who have not joined yet (once each).",
            True,
        ),
    ),
    renderers=ANNOUNCEMENT_RENDERERS,
    planners=(("announcements", announcements.send_scheduled),),
    # Broadcasts and coordinator notices: never twice (an interrupted copy is reported).
    at_most_once=frozenset({ANNOUNCEMENT, INVITATION, PREVIEW, REPORT}),
    order=100,
)
