"""`/mentor admin coordinators add|remove|list` and `/mentor admin audit [N]`: answers and
the parsers of what was typed (a person, a count)."""

from __future__ import annotations

import re
from typing import Any

from bot.clock import zone
from bot.commands import SLASH_COMMAND
from bot.errors import InvalidInput
from bot.services.audit import AuditEntry
from bot.services.coordinators import CoordinatorList
from models.enums import AuditOutcome

AUDIT_DEFAULT, AUDIT_MOST = 20, 100
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
_HANDLE = re.compile(r"@([\w.\-]{1,80})")

USAGE = (
    f"Usage: `{SLASH_COMMAND} admin coordinators list`, "
    f"`{SLASH_COMMAND} admin coordinators add @person` or "
    f"`{SLASH_COMMAND} admin coordinators remove @person`."
)


def ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": text}


def parse_person(words: list[str]) -> tuple[str | None, str | None]:
    """(user id, None) for a mention or a member id; (None, handle) for a plain `@name`
    (slash commands get mentions as text); InvalidInput for anything else."""
    text = " ".join(words).strip()
    if found := _MENTION.fullmatch(text):
        return found.group(1), None
    if _USER_ID.fullmatch(text):
        return text, None
    if found := _HANDLE.fullmatch(text):
        return None, found.group(1)
    raise InvalidInput(
        "Name one person, as `@name` (pick them from the list Slack offers) or by their "
        f"member ID. {USAGE}"
    )


def parse_count(words: list[str]) -> int:
    if not words:
        return AUDIT_DEFAULT
    text = words[0]
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= AUDIT_MOST:
        raise InvalidInput(
            f"Give how many lines to show, from 1 to {AUDIT_MOST}: "
            f"`{SLASH_COMMAND} admin audit 30`."
        )
    return int(text)


def build_coordinator_list(found: CoordinatorList) -> dict[str, Any]:
    lines = []
    for person in found.appointed:
        by = f", added by <@{person.added_by}>" if person.added_by else ""
        lines.append(f"• <@{person.user_id}> (added in twoway{by})")
    for user_id in found.bootstrap:
        lines.append(f"• <@{user_id}> (set in TWOWAY_COORDINATORS)")
    for user_id in found.admins:
        lines.append(f"• <@{user_id}> (workspace admin)")
    body = "\n".join(lines[:60]) or "Nobody yet."
    if len(lines) > 60:
        body += f"\n…and {len(lines) - 60} more."
    return ephemeral(f"*Coordinators*\n{body}")


OUTCOMES = {AuditOutcome.OK: "done", AuditOutcome.DENIED: "refused", AuditOutcome.ERROR: "failed"}


def _line(entry: AuditEntry, timezone: str) -> str:
    when = entry.at.astimezone(zone(timezone)).strftime("%a %d %b %H:%M")
    who = f"<@{entry.actor}>" if entry.actor else "twoway"
    target = f" ({entry.target_type} {entry.target_id})" if entry.target_type else ""
    return f"• {when} — {who}: `{entry.action}`{target}, {OUTCOMES[entry.outcome]}"


def build_audit(entries: list[AuditEntry], *, timezone: str) -> dict[str, Any]:
    """Newest first; times in the viewer's timezone; names of actions, never texts."""
    if not entries:
        return ephemeral("No admin actions recorded yet.")
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Latest {len(entries)} admin actions* (times in {timezone})",
            },
        }
    ]
    chunk: list[str] = []
    for line in (_line(e, timezone) for e in entries):
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(chunk)}})
    return {
        "response_type": "ephemeral",
        "text": f"Latest {len(entries)} admin actions",
        "blocks": blocks[:50],
    }
