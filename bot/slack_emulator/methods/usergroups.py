"""usergroups.users.list: the members of a user group (an `@team` handle), as Slack lists them."""

from __future__ import annotations

from bot.slack_emulator.methods._common import ApiError, Args, Method, Response
from bot.slack_emulator.state import Workspace


def usergroups_users_list(ws: Workspace, args: Args) -> Response:
    """The group's user ids; a disabled group answers only with ``include_disabled``."""
    group_id = args.required("usergroup")
    group = ws.usergroups.get(group_id)
    if group is None:
        raise ApiError("no_such_subteam")
    if group["disabled"] and not args.flag("include_disabled"):
        raise ApiError("no_such_subteam")
    return {"ok": True, "users": list(group["users"])}


METHODS: dict[str, Method] = {"usergroups.users.list": usergroups_users_list}
