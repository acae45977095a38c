"""Garbage in every celebration button and form: specific words, never a 500 or the generic
error, no modal opened, no row changed anywhere."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.slack_emulator import SlackEmulator
from bot.views.celebrations import CelebrationIds as C
from bot.views.payloads import STALE_BUTTON, STALE_FORM
from models import Base
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.celebration_flows import JUNIOR, PUBLIC, celebrating_pair, draft_values
from tests.support.interactions import channel, click, submit_view
from tests.support.slack_requests import SlackRequests

GARBAGE = ["abc", "", "-1", "0", "9" * 10_000, str(2**63), str(2**31), "²", " 7", "1e3"]
SPECIFIC = (
    STALE_BUTTON,
    STALE_FORM,
    "That win no longer exists.",
    "That goal no longer exists.",
    "That pair no longer exists.",
    "That program no longer exists.",
)


def _rows(app_server: AppServer) -> dict[str, int]:
    with app_server.runtime.unit_of_work() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
            if t.name not in ("processed_requests",)
        }


def test_garbage_in_celebration_buttons_and_forms_gets_specific_words(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    celebrating_pair(app_server, emulator)
    slack.command("admin sponsors list", user=COORDINATOR, channel=ADMIN_CHANNEL)
    app_server.wait_idle()  # the coordinator's profile is stored once, before counting
    before, opened = _rows(app_server), len(emulator.calls("views.open"))
    labels: list[str] = []
    shared = slack.response_url
    templates = [(C.OFFER, "{}")] + [
        (action, template)
        for action in (C.APPROVE, C.EDIT, C.DECLINE, C.WITHDRAW)
        for template in ("{}", "{}:1", "1:{}", "99999:{}")
    ]
    for action, template in templates:
        for garbage in GARBAGE:
            label = f"{len(labels)}:{action}={template.format(garbage)[:24]!r}"
            slack.response_url = emulator.response_url(label)
            response = click(
                slack, user=JUNIOR[0], action_id=action, value=template.format(garbage)
            )
            assert response.status_code == 200, label
            labels.append(label)
    slack.response_url = shared
    app_server.wait_idle()
    failures = []
    for label in labels:
        texts = [r.get("text", "") for r in emulator.responses(label)]
        if len(texts) != 1 or not texts[0].startswith(SPECIFIC):
            failures.append(f"{label}: {[t[:80] for t in texts]}")
    assert failures == [], "\n".join(failures)

    forms = [
        (JUNIOR[0], C.DRAFT_CALLBACK, "{}:0", draft_values("A real win, well described", "Us")),
        (JUNIOR[0], C.EDIT_CALLBACK, "{}:1", draft_values("A real win, well described", "Us")),
        (COORDINATOR, C.CHANNEL_CALLBACK, "{}", {C.CHANNEL: channel(C.CHANNEL, PUBLIC)}),
    ]
    for user, callback, template, values in forms:
        for garbage in [*GARBAGE, "123456"]:
            view = {
                "type": "modal",
                "callback_id": callback,
                "private_metadata": template.format(garbage),
            }
            response = submit_view(
                slack, user=user, view=view, view_id="V0CELEBHOST", values=values
            )
            app_server.wait_idle()
            label = f"{callback}={template.format(garbage)[:24]!r}"
            assert response.status_code == 200, label
            assert "something went wrong" not in response.text.lower(), label
            assert any(words in response.text for words in SPECIFIC), (label, response.text[:120])
    assert len(emulator.calls("views.open")) == opened
    assert _rows(app_server) == before
