"""Every column that holds a person's own words or their Slack identity, in one list.

`/mentor forget`, `twoway person erase` and the retention planner read these lists; none
of them names a table itself. A feature that adds a table with words a person wrote (a
celebration draft, a goal progress note, an announcement's text) adds one line here, and
tests/test_data_rights.py scans every text column of every table after an erasure, so a
forgotten line fails the suite rather than keeping someone's words.

Rows are kept and their texts blanked, so counts (sessions held, goals achieved, survey
numbers) stay correct; identities are replaced by a pseudonym that names nobody.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalText:
    """A column of words that belong to the participant named by `owner`.

    `owner` is a column holding a participants.id, of `table` itself or, with `via =
    (fk_column, parent_table)`, of the parent row that `fk_column` points at. `also` names
    other participant columns whose person it concerns (feedback they received). The text
    becomes NULL when the column allows it, else an empty value ("", {} or []).
    """

    table: str
    column: str
    owner: str
    via: tuple[str, str] | None = None
    also: tuple[str, ...] = ()
    what: str = ""  # how `/mentor forget` names it to the person


@dataclass(frozen=True)
class SlackIdentity:
    """A column holding a Slack user id (who created, decided or did something): the
    erased person's id there becomes their pseudonym, so counts per person stay right."""

    table: str
    column: str


PERSONAL_TEXTS: tuple[PersonalText, ...] = (
    PersonalText("feedback", "text", owner="from_id", also=("to_id",), what="feedback"),
    PersonalText("learnings", "text", owner="participant_id", what="learnings"),
    PersonalText("survey_responses", "reflections", owner="participant_id", what="reflections"),
    PersonalText("goals", "text", owner="owner_id", what="goals"),
    PersonalText("goals", "indicator", owner="owner_id", what="goals"),
    PersonalText("goal_progress", "note", owner="author_id", what="goals"),
    PersonalText("action_items", "text", owner="owner_id", what="action items"),
    PersonalText("sessions", "reason", owner="cancelled_by_id", what="reasons for skipping"),
    PersonalText("participants", "department", owner="id", what="profile"),
    PersonalText("participants", "can_share_notes", owner="id", what="profile"),
    PersonalText("participants", "wants_to_learn_notes", owner="id", what="profile"),
    PersonalText("participants", "avoid_user_ids", owner="id", what="profile"),
    PersonalText("participants", "extra", owner="id", what="profile"),
    PersonalText("celebrations", "what_changed", owner="drafted_by_id", what="celebration drafts"),
    PersonalText("celebrations", "for_whom", owner="drafted_by_id", what="celebration drafts"),
)

SLACK_IDENTITIES: tuple[SlackIdentity, ...] = (
    SlackIdentity("audit_log", "actor_user_id"),
    SlackIdentity("audit_log", "target_id"),
    SlackIdentity("programs", "created_by"),
    SlackIdentity("match_runs", "created_by"),
    SlackIdentity("match_runs", "decided_by"),
    SlackIdentity("coordinators", "added_by"),
    SlackIdentity("announcements", "created_by"),
    SlackIdentity("announcements", "decided_by"),
    SlackIdentity("sponsors", "slack_user_id"),
    SlackIdentity("sponsors", "added_by"),
)


@dataclass(frozen=True)
class JsonIdentity:
    """A JSON column where a Slack user id may appear as any string inside (an unmatched
    person of a match run, an id in an audit detail): each such string is replaced."""

    table: str
    column: str


JSON_IDENTITIES: tuple[JsonIdentity, ...] = (
    JsonIdentity("match_runs", "unmatched"),
    JsonIdentity("audit_log", "detail"),
    JsonIdentity("deliveries", "payload"),
    JsonIdentity("announcements", "targets"),
)

NOT_PERSONAL: dict[tuple[str, str], str] = {
    # Long text and JSON columns that hold no words a person wrote, and why. A new such
    # column must be listed here or above (tests/test_erasure_registry.py checks it).
    ("processed_requests", "key"): "request and view ids",
    ("workspaces", "name"): "the Slack workspace's name",
    ("workspaces", "inactive_reason"): "a Slack error code",
    ("audit_log", "detail"): "ids and settings (Slack ids are replaced, see JSON_IDENTITIES)",
    ("dm_channels", "members_key"): "Slack ids: the erased person's rows are deleted",
    ("members", "display_name"): "cleared on erasure with the member row's identity",
    ("programs", "name"): "chosen by coordinators",
    ("match_runs", "options"): "coordinators' matching options",
    ("match_runs", "unmatched"): "ids and reason codes (Slack ids replaced)",
    ("participants", "can_share"): "topics chosen from a fixed list (anonymous counts)",
    ("participants", "wants_to_learn"): "topics chosen from a fixed list (anonymous counts)",
    ("participants", "languages"): "language codes from a fixed list",
    ("pairs", "status_reason"): "the app's own reason words",
    ("pairs", "match_reasons"): "the app's own reason words",
    ("survey_responses", "likert"): "numbers 1-5 (kept for aggregates)",
    ("deliveries", "unique_key"): "ids",
    ("deliveries", "last_error"): "Slack error codes",
    ("deliveries", "payload"): "ids (Slack ids replaced)",
    ("announcements", "text"): "a coordinator's announcement to everyone it names",
    ("announcements", "link_label"): "part of a coordinator's announcement",
    ("announcements", "link_url"): "part of a coordinator's announcement",
    ("announcements", "targets"): "channel, group and user ids (Slack ids replaced)",
    ("announcements", "skipped"): "counts by reason",
    ("celebrations", "approved_ids"): "participant ids",
}

PSEUDONYM_PREFIX = "erased-"
"""Erased people's member rows and ids start with this; nothing is ever sent to them."""


def erased_kinds() -> list[str]:
    """What `/mentor forget` says it deletes, in the registry's order, each named once."""
    return list(dict.fromkeys(line.what for line in PERSONAL_TEXTS if line.what))
