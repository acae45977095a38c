"""Signed requests of the wrong shape, and every listener's ids replaced by garbage.

Slack never sends these, but anyone holding the signing secret (or a bug on Slack's side)
can. Through the real app: never a 500, never the generic "something went wrong", never a
database error, no state change (row counts of every table), and a specific answer within
the request (a 400 for an envelope Bolt cannot route; the listener's own words otherwise).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import func, select

from bot.services.pairs import pair_for_member
from bot.services.rhythm import current_period
from bot.slack_emulator import SlackEmulator
from bot.views.payloads import STALE_BUTTON, STALE_FORM
from handlers.envelope import envelope_problem
from handlers.middleware import request_ids
from models import Base
from models.enums import Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.enrolment_flows import join_values
from tests.support.factories import active_pair, enrol, make_program
from tests.support.interactions import click, option, picked_date, submit_view, text
from tests.support.slack_requests import SlackRequests
from tests.support.wrong_shapes import NAMED_IN_ISSUE, wrong_shapes

GENERIC = "something went wrong"
OUTSIDER = "U0HPOUT001"
JUNIOR = "U0HPJUN001"
SENIOR = "U0HPSEN001"
GARBAGE = ["abc", "", "-1", "9" * 10_000, str(2**63), str(2**31), "²", " 7", "1e3", "1:2"]
GARBAGE_IDS = [*GARBAGE, "0"]  # a page number can be 0; an id can't
# What each listener may answer to a garbage id: the new words, or its own earlier ones.
SPECIFIC = (
    STALE_BUTTON,
    STALE_FORM,
    "That menu no longer works. Run `/mentor goals` again.",
    "That button no longer works. Run `/mentor leave` again.",
    "That survey no longer exists.",
    "That preview button is not one I know.",
    "This nudge is from an earlier period",
    # a well-formed id of a record that does not exist:
    "That action item no longer exists.",
    "That program no longer exists, so nothing was saved.",
    "That time has passed",  # a slot button's time, well-formed but outside the offer
)


@dataclass(frozen=True)
class World:
    app_server: AppServer
    pair_id: int
    program_id: int
    period_key: str  # the pair's current period: its nudge buttons carry it


def row_counts(app_server: AppServer) -> dict[str, int]:
    with app_server.runtime.unit_of_work() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def world(app_server: AppServer, emulator: SlackEmulator, slack: SlackRequests) -> World:
    """A program with one introduced pair, an enrolled outsider, and a known coordinator."""
    runtime = app_server.runtime
    started = runtime.clock.now() - timedelta(days=3)
    program_id = make_program(runtime, name="Hostile", starts_on=started.date())
    pair_id, _ = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=(JUNIOR, "Europe/Berlin", 9, 17),
        senior=(SENIOR, "America/New_York", 9, 17),
        started_at=started,
    )
    enrol(
        runtime, emulator, program_id=program_id, user_id=OUTSIDER, role=Role.JUNIOR,
        department="Sales", can_share=["AI tools"], wants_to_learn=["Strategy"],
    )  # fmt: skip
    # The coordinator's profile is read once here, so later refusals and parses create nothing.
    assert slack.command("admin program list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    with runtime.unit_of_work() as session:
        pair, _ = pair_for_member(session, pair_id=pair_id, user_id=JUNIOR)
    return World(app_server, pair_id, program_id, current_period(pair, runtime.clock.now()).key)


def _answers_since(emulator: SlackEmulator, start: int) -> list[str]:
    return [json.dumps(r) for r in emulator.responses()[start:]]


def test_wrong_shapes_are_refused_without_500(
    world: World, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    before = row_counts(world.app_server)
    answered = len(emulator.responses())
    failures: list[str] = []
    shapes = wrong_shapes(OUTSIDER, slack.response_url)
    assert set(NAMED_IN_ISSUE) <= {shape.name for shape in shapes}
    for shape in shapes:
        try:
            response = slack.post(shape.body, content_type=shape.content_type)
        except httpx.HTTPError as error:  # a dropped connection is a 500 by another name
            failures.append(f"{shape.name}: {type(error).__name__}")
            continue
        if response.status_code not in (200, 400, 404) or GENERIC in response.text.lower():
            failures.append(f"{shape.name}: {response.status_code} {response.text[:80]}")
    world.app_server.wait_idle()
    assert failures == [], "\n".join(failures)
    assert not [a for a in _answers_since(emulator, answered) if GENERIC in a.lower()]
    assert row_counts(world.app_server) == before


def _buttons(world: World) -> list[tuple[str, str, str, str]]:
    """(user, channel, action id, value with `{}` where the garbage goes)."""
    pair, period = world.pair_id, world.period_key
    member = [
        ("goals-edit", "{}"), ("pair-open-goals", "{}"), ("pair-open-takeaway", "{}"),
        ("checkin-answer", "{}"), ("learnings-page-next", "{}"), ("actions-page-next", "{}"),
        ("feedback-page-next", "{}"), ("action-done", "{}:f"), ("action-dropped", "{}:l1"),
        ("action-later", "{}:f"), ("survey-answer", "{}"), ("enrol-leave-confirm", "{}"),
        ("rhythm-pick-time", "{}:" + period), ("rhythm-met", "{}:" + period),
        ("rhythm-skip", "{}:" + period), ("rhythm-help", "{}:" + period),
        ("rhythm-slot-0", "{}:" + period + ":1800000000"),
        ("rhythm-met", f"{pair}:{{}}"), ("rhythm-slot-1", f"{pair}:{period}:{{}}"),
        ("goals-status", "{}:achieved"),  # a menu: the garbage is in its selected option
    ]  # fmt: skip
    admin = [("program-close-confirm", "{}"), ("match-confirm", "{}"), ("match-cancel", "{}"),
             ("match-rerun", "{}")]  # fmt: skip
    return [(JUNIOR, "C0GENERAL1", a, v) for a, v in member] + [
        (COORDINATOR, ADMIN_CHANNEL, a, v) for a, v in admin
    ]


def test_garbage_in_every_button_gets_specific_words(
    world: World, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """Each click gets its own response URL, so all are sent first and read after one wait."""
    before = row_counts(world.app_server)
    opened = len(emulator.calls("views.open"))
    failures: list[str] = []
    sent: list[str] = []
    shared_url = slack.response_url
    for user, channel, action_id, template in _buttons(world):
        for garbage in GARBAGE if "page" in action_id else GARBAGE_IDS:
            label = f"{action_id}={template.format(garbage)[:20]!r}"
            slack.response_url = emulator.response_url(label)
            menu = {"value": "", "selected_value": template.format(garbage)}
            response = click(
                slack, user=user, channel=channel, action_id=action_id,
                **(menu if action_id == "goals-status" else {"value": template.format(garbage)}),
            )  # fmt: skip
            if response.status_code != 200:
                failures.append(f"{label}: {response.status_code}")
            sent.append(label)
    slack.response_url = shared_url
    world.app_server.wait_idle()
    for label in sent:
        texts = [r.get("text", "") for r in emulator.responses(label)]
        if len(texts) != 1 or not texts[0].startswith(SPECIFIC):
            failures.append(f"{label}: {[t[:90] for t in texts]}")
    assert failures == [], "\n".join(failures)
    assert len(emulator.calls("views.open")) == opened
    assert row_counts(world.app_server) == before


def _forms(world: World) -> list[tuple[str, str, dict[str, dict[str, dict[str, object]]]]]:
    """(callback id, metadata with `{}` for the garbage, a valid state for the form)."""
    today = world.app_server.runtime.clock.now().date()
    later = (today + timedelta(days=30)).isoformat()
    goal = {
        "goals-text-0": text("goals-text", "Learn to prompt well"),
        "goals-indicator-0": text("goals-indicator", "One demo shipped"),
        "goals-target-0": picked_date("goals-target", later),
    }
    survey = {
        f"survey-question-{key}": option("survey-question", "3")
        for key in ("psychological_safety", "dialogue", "adaptability", "learning",
                    "tools_adopted", "processes_changed", "cross_team_work")
    }  # fmt: skip
    return [
        ("goals-set", "{}", goal),
        ("pair-takeaway", "{}", {"pair-takeaway-text": text("pair-takeaway-text", "Lots learned")}),
        ("checkin-submit", "{}", {"checkin-outcome": option("checkin-outcome", "rescheduled")}),
        (
            "action-later-submit",
            "{}",
            {"action-later-date": picked_date("action-later-date", later)},
        ),
        (
            "rhythm-skip-reason",
            "{}:2026-W01",
            {"rhythm-skip-reason-text": text("rhythm-skip-reason-text", "travelling")},
        ),
        ("survey-form", "{}", survey),
        ("enrol-join", '{{"mode": "join", "program_id": {}}}', join_values()),
    ]


def test_garbage_in_every_form_metadata_gets_a_notice(
    world: World, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    before = row_counts(world.app_server)
    failures: list[str] = []
    for callback_id, template, values in _forms(world):
        for garbage in GARBAGE_IDS:
            metadata = template.format(garbage)
            view = {"type": "modal", "callback_id": callback_id, "private_metadata": metadata}
            response = submit_view(
                slack, user=JUNIOR, view=view, view_id="V0HOSTILE1", values=values
            )
            world.app_server.wait_idle()
            label = f"{callback_id}={metadata[:24]!r}"
            if response.status_code != 200 or GENERIC in response.text.lower():
                failures.append(f"{label}: {response.status_code} {response.text[:120]}")
            elif not any(words in response.text for words in (*SPECIFIC, "expired")):
                failures.append(f"{label}: {response.text[:120]}")
    assert failures == [], "\n".join(failures)
    assert row_counts(world.app_server) == before


def test_garbage_in_a_form_menu_gets_a_field_error(
    world: World, slack: SlackRequests, emulator: SlackEmulator
) -> None:
    """Ids chosen in a modal's own menus (pair, program, settings) come back as field errors."""
    before = row_counts(world.app_server)
    today = world.app_server.runtime.clock.now().date().isoformat()
    for garbage in GARBAGE_IDS:
        forms = [
            (JUNIOR, "learnings-add-submit", "learnings-add-pair", {
                "learnings-add-text": text("learnings-add-text", "Three whole words"),
                "learnings-add-pair": option("learnings-add-pair", garbage)}),
            (JUNIOR, "rhythm-log", "rhythm-log-pair", {
                "rhythm-log-pair": option("rhythm-log-pair", garbage),
                "rhythm-log-date": picked_date("rhythm-log-date", today),
                "rhythm-log-minutes": text("rhythm-log-minutes", "30")}),
            (JUNIOR, "enrol-join", "enrol-program", join_values() | {
                "enrol-program": option("enrol-program", garbage)}),
            (JUNIOR, "enrol-join", "enrol-avoid", join_values(avoid=(garbage,), program_id=1)),
            (JUNIOR, "checkin-submit", "checkin-minutes", {
                "checkin-outcome": option("checkin-outcome", "met"),
                "checkin-minutes": text("checkin-minutes", garbage)}),
            (COORDINATOR, "program-create", "program-length", {
                "program-name": text("program-name", "Autumn"),
                "program-starts-on": picked_date("program-starts-on", today),
                "program-length": option("program-length", garbage)}),
        ]  # fmt: skip
        for user, callback_id, field, values in forms:
            if field == "checkin-minutes" and garbage == " 7":
                continue  # a text input is stripped: " 7" is a valid 7 minutes
            metadata = '{"mode": "join", "program_id": null}' if callback_id == "enrol-join" else ""
            view = {"type": "modal", "callback_id": callback_id, "private_metadata": metadata}
            response = submit_view(slack, user=user, view=view, view_id="V0HOSTILE2", values=values)
            world.app_server.wait_idle()
            assert response.status_code == 200, (callback_id, garbage[:20])
            assert response.text, (callback_id, garbage[:20], "accepted")
            answer = response.json()
            assert answer.get("response_action") == "errors", (callback_id, garbage[:20], answer)
            assert field in answer["errors"], (callback_id, garbage[:20], answer)
    assert row_counts(world.app_server) == before


LONG_TEXTS = [  # (form, field, the column's (or the form's) limit)
    ("goals-set", "goals-text-0", 300),
    ("goals-set", "goals-indicator-0", 300),
    ("pair-takeaway", "pair-takeaway-text", 1000),
    ("rhythm-skip-reason", "rhythm-skip-reason-text", 500),
]


def test_text_longer_than_its_column_is_a_field_error(world: World, slack: SlackRequests) -> None:
    before = row_counts(world.app_server)
    for callback_id, field, limit in LONG_TEXTS:
        values = dict(next(v for c, _, v in _forms(world) if c == callback_id))
        values[field] = text(field.removesuffix("-0"), "word " * (limit // 5 + 1))
        metadata = str(world.pair_id)
        if callback_id.startswith("rhythm"):
            metadata = f"{world.pair_id}:{world.period_key}"
        view = {"type": "modal", "callback_id": callback_id, "private_metadata": metadata}
        response = submit_view(slack, user=JUNIOR, view=view, view_id="V0HOSTILE3", values=values)
        world.app_server.wait_idle()
        assert response.text, (field, "accepted")
        assert response.json()["response_action"] == "errors", field
        assert field in response.json()["errors"], field
    assert row_counts(world.app_server) == before


def test_the_request_log_reads_any_body() -> None:
    """`request_ids` (the request log line, the error log line) never raises, whatever it gets."""
    bodies: list[object] = [None, [], "x", 5, {"type": 5, "team": "T0BARS", "user": ["id"]}]
    for shape in wrong_shapes(OUTSIDER, "http://127.0.0.1:9/"):
        try:
            bodies.append(json.loads(parse_qs(shape.body).get("payload", [shape.body])[0]))
        except ValueError:
            continue
    for body in bodies:
        ids = request_ids(body)
        assert isinstance(ids["kind"], str)


SLACK_SHAPES: list[dict[str, object]] = [  # what Slack does send, in shapes tests rarely use
    {"type": "url_verification", "token": "t", "challenge": "c0ffee"},
    {"type": "block_actions", "team": None, "enterprise": {"id": "E0ORG00001", "name": "Org"},
     "user": {"id": "W0GRID0001", "team_id": "T0TWOWAY1"}, "trigger_id": "1.2.3",
     "container": {"type": "view", "view_id": "V0HOME0001"}, "is_enterprise_install": True,
     "view": {"id": "V0HOME0001", "type": "home", "callback_id": "", "state": {"values": {}}},
     "actions": [{"action_id": "goals-status", "block_id": "x", "type": "overflow",
                  "selected_option": {"value": "1:open", "text": {"type": "plain_text"}}}]},
    {"type": "view_submission", "team": {"id": "T0TWOWAY1"}, "user": {"id": "U0JUNIOR01"},
     "view": {"id": "V0MODAL001", "type": "modal", "callback_id": "goals-set",
              "private_metadata": "", "hash": "h", "state": {"values": {"b": {"a": {}}}}},
     "response_urls": [{"block_id": "b", "action_id": "a", "channel_id": "C0GENERAL1",
                        "response_url": "https://hooks.slack.com/x"}]},
    {"type": "view_closed", "team": {"id": "T0TWOWAY1"}, "user": {"id": "U0JUNIOR01"},
     "view": {"id": "V0MODAL001", "type": "modal", "callback_id": "goals-set"}},
    {"type": "event_callback", "team_id": "T0TWOWAY1", "event_id": "Ev0ABC1234",
     "authorizations": [{"team_id": "T0TWOWAY1", "user_id": "U0BOT00001", "is_bot": True}],
     "event": {"type": "team_join", "user": {"id": "U0NEW00001", "tz": None}}},
    {"type": "event_callback", "team_id": "T0TWOWAY1", "event_id": "Ev0ABC1235",
     "event": {"type": "channel_created", "channel": {"id": "C0NEW00001", "name": "new"}}},
    {"type": "event_callback", "team_id": "T0TWOWAY1", "event_id": "Ev0ABC1236",
     "event": {"type": "message", "subtype": "bot_message", "bot_id": "B0BOT00001",
               "channel": "D0DM000001", "text": "hi"}},
    {"type": "event_callback", "team_id": "T0TWOWAY1", "event_id": "Ev0ABC1237",
     "event": {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT00001"]}}},
    {"token": "t", "team_id": "T0TWOWAY1", "enterprise_id": "E0ORG00001",
     "channel_id": "G0PRIV0001", "user_id": "W0GRID0001", "command": "/mentor", "text": "",
     "trigger_id": "1.2.3",
     "response_url": "https://hooks.slack.com/commands/x", "api_app_id": "A0TWOWAY01"},
]  # fmt: skip


def test_the_guard_lets_through_what_slack_sends() -> None:
    assert [envelope_problem(body) for body in SLACK_SHAPES] == [None] * len(SLACK_SHAPES)


def test_a_refusal_whose_response_url_is_not_a_url_is_still_a_200(
    slack: SlackRequests, app_server: AppServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Found by the 10,000-request fuzz: a signed command with a forged response_url made
    the error path's own answer raise, and Bolt answered 500. Now it is logged instead."""
    import logging
    from urllib.parse import urlencode

    caplog.set_level(logging.INFO)
    form = {
        "team_id": "", "channel_id": "2036", "user_id": "U0JUNIOR01", "command": "/mentor",
        "text": "admin program list", "response_url": "not a url", "trigger_id": "1.2.3",
    }  # fmt: skip
    for _ in range(5):
        answer = slack.post(urlencode(form), content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 200
    app_server.wait_idle()
    assert any("request.answer_failed" in r.getMessage() for r in caplog.records)
