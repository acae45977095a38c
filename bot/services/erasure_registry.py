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
    PersonalText("action_items", "text", owner="owner_id", what="action items"),
    PersonalText("sessions", "reason", owner="cancelled_by_id", what="reasons for skipping"),
    PersonalText("participants", "department", owner="id", what="profile"),
    PersonalText("participants", "can_share_notes", owner="id", what="profile"),
    PersonalText("participants", "wants_to_learn_notes", owner="id", what="profile"),
    PersonalText("participants", "avoid_user_ids", owner="id", what="profile"),
    PersonalText("participants", "extra", owner="id", what="profile"),
)

SLACK_IDENTITIES: tuple[SlackIdentity, ...] = (
    SlackIdentity("audit_log", "actor_user_id"),
    SlackIdentity("audit_log", "target_id"),
    SlackIdentity("programs", "created_by"),
    SlackIdentity("match_runs", "created_by"),
    SlackIdentity("match_runs", "decided_by"),
    SlackIdentity("coordinators", "added_by"),
)

PSEUDONYM_PREFIX = "erased-"
"""Erased people's member rows and ids start with this; nothing is ever sent to them."""


def erased_kinds() -> list[str]:
    """What `/mentor forget` says it deletes, in the registry's order, each named once."""
    return list(dict.fromkeys(line.what for line in PERSONAL_TEXTS if line.what))
