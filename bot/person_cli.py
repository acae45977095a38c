"""`twoway person export|erase`: what an operator does with a data request received by
email, through the same flows as `/mentor mydata` and `/mentor forget`."""

from __future__ import annotations

from pathlib import Path

from bot.errors import TwowayError
from bot.flows.data_rights import erase_and_tell, export_person, workspace_for_operator
from bot.runtime import Runtime

ERASE_NEEDS_YES = (
    "refused: erasing {user} cannot be undone (texts deleted, identity replaced, pairs "
    "ended); run again with --yes to confirm, after `twoway person export` if a copy is wanted"
)


class PersonCommandError(Exception):
    """A one-line refusal for the operator (exit code 2, or 1 for "nothing stored")."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _workspace(runtime: Runtime, team: str | None) -> int:
    try:
        return workspace_for_operator(runtime, team_id=team)
    except TwowayError as error:
        raise PersonCommandError(error.user_message) from error


def export_to_file(runtime: Runtime, *, user_id: str, team: str | None, out: Path) -> str:
    """Write the export (Markdown when OUT ends in .md, else JSON); the line to print."""
    workspace_id = _workspace(runtime, team)
    markdown = out.suffix.lower() in {".md", ".markdown"}
    text = export_person(runtime, workspace_id=workspace_id, user_id=user_id, markdown=markdown)
    if text is None:
        raise PersonCommandError(f"twoway stores nothing about {user_id}", code=1)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PersonCommandError(f"could not write {out}: {error.strerror or error}") from error
    return f"wrote {'Markdown' if markdown else 'JSON'} export of {user_id} to {out}"


def erase(runtime: Runtime, *, user_id: str, team: str | None, send: bool) -> str:
    """Erase the person; partners' notes are sent now when Slack is configured."""
    workspace_id = _workspace(runtime, team)
    report = erase_and_tell(
        runtime,
        workspace_id=workspace_id,
        user_id=user_id,
        now=runtime.clock.now(),
        by="operator",
        send=send,
    )
    if not report.found:
        raise PersonCommandError(f"twoway stores nothing about {user_id}", code=1)
    told = "told" if send else "to be told by the scheduler"
    return (
        f"erased {user_id}: {report.participations} enrolments, {report.ended_pairs} pairs "
        f"ended, {report.partners_told} partners {told}"
    )
