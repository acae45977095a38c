"""Each kind of message says what happens when a send was cut off mid-call: the features
declare the kinds that must never reach Slack twice; every other kind is sent again."""

from __future__ import annotations

from bot.outbox.engine import at_most_once_kinds
from handlers import discover_features

NEVER_TWICE = {
    "feedback",  # a private note to one person
    "admin_report",  # a coordinator's report and export: one post each, never twice
    "admin_export",
    "checkin_thanks",  # confirmations of what someone did
    "action_item_moved",
    "enrolment_confirmed",
    "enrolment_refused",
    "partner_left",
    "program_created",  # notices and alerts to coordinators
    "admin_help",
    "admin_stall_alert",
    "admin_stall_digest",  # the stall alerts of one tick, gathered
    "admin_pair_paused",
    "announcement",  # a coordinator's broadcast and invitations: never twice
    "invitation",
    "announcement_preview",
    "invitation_report",
    "celebration_post",  # a public post of a win: exactly once, or a note about it
    "celebration_no_channel",
    "sponsor_digest",
}
A_DUPLICATE_IS_HARMLESS = {
    "session_nudge",
    "agenda",
    "rhythm_slots",
    "rotation_preview",
    "match_preview",
    "match_preview_csv",
    "pair_intro",  # a pair introduced twice beats a pair never introduced
    "pair_farewell",
    "checkin",
    "survey",
    "survey_reminder",
    "celebration_offer",
    "celebration_review",  # a copy of a win to approve: sent again beats never asked
    "celebration_closed",
}


def test_kinds_declare_what_an_interrupted_send_does() -> None:
    features = discover_features()
    assert at_most_once_kinds(features) == NEVER_TWICE
    assert not A_DUPLICATE_IS_HARMLESS & at_most_once_kinds(features)
    assert set(features.renderers()) >= A_DUPLICATE_IS_HARMLESS


def test_a_feature_declares_only_kinds_it_renders() -> None:
    for feature in discover_features().all:
        assert feature.at_most_once <= set(feature.renderers), feature.name
