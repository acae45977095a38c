"""Every kind of outgoing message (post, file, Home tab, edit) goes through the same table,
and `send_now` sends what a flow just planned without losing it when Slack fails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import SettableClock
from bot.outbox.engine import send_due, send_now
from bot.outbox.message import HomePublish, Outgoing, Post, Update, Upload
from bot.outbox.render import RenderContext
from bot.registry import Feature, Features
from bot.runtime import Runtime
from bot.scheduler.tick import run_tick
from bot.services.deliveries import plan_now
from bot.slack_emulator import SlackEmulator
from models import Delivery
from models.enums import DeliveryStatus
from tests.support.app_server import AppServer

NOTES_CHANNEL = "C0NOTES001"


def render_post(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Post(text=f"post {delivery.payload['n']}", blocks=[], channel=NOTES_CHANNEL)


def render_upload(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Upload(
        filename="report.csv",
        content="a,b\n1,2\n",
        title="A report",
        comment="Here it is",
        channel=NOTES_CHANNEL,
    )


def render_home(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    view = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
    }
    return HomePublish(user_id=str(delivery.payload["user"]), view=view)


def render_update(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return Update(channel=NOTES_CHANNEL, ts=str(delivery.payload["ts"]), text="edited", blocks=[])


def render_refused(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    return "the person took their consent back"


TEST_FEATURE = Feature(
    name="outbox-test",
    renderers={
        "t_post": render_post,
        "t_upload": render_upload,
        "t_home": render_home,
        "t_update": render_update,
        "t_refused": render_refused,
    },
)


@pytest.fixture
def runtime(app_server: AppServer, emulator: SlackEmulator) -> Runtime:
    emulator.add_channel(NOTES_CHANNEL, name="notes", members=[emulator.bot_user_id])
    runtime = app_server.runtime
    runtime.features = Features([*runtime.features.all, TEST_FEATURE])
    return runtime


def _plan(runtime: Runtime, kind: str, key: str, **payload: Any) -> int:
    with runtime.unit_of_work() as session:
        delivery_id = plan_now(
            session,
            workspace_id=runtime.require_workspace(),
            kind=kind,
            key=key,
            now=runtime.clock.now(),
            payload=payload,
        )
    assert delivery_id is not None
    return delivery_id


def _row(runtime: Runtime, delivery_id: int) -> Delivery:
    with runtime.unit_of_work() as session:
        row = session.get(Delivery, delivery_id)
        assert row is not None
        session.expunge(row)
        return row


def test_each_message_kind_is_sent_and_recorded(runtime: Runtime, emulator: SlackEmulator) -> None:
    posted = runtime.gateway.post_message(channel=NOTES_CHANNEL, text="original")
    ids = [
        _plan(runtime, "t_upload", "t:upload"),
        _plan(runtime, "t_home", "t:home", user="U0JUNIOR01"),
        _plan(runtime, "t_update", "t:update", ts=posted.ts),
    ]
    report = send_now(runtime, ids)
    assert (report.sent, report.cancelled, report.retried) == (3, 0, 0)
    [upload] = emulator.uploaded_files()
    assert upload["content"] == b"a,b\n1,2\n"
    assert upload["initial_comment"] == "Here it is"
    home = emulator.published_home("U0JUNIOR01")
    assert home is not None
    assert "Hello" in str(home["blocks"])
    [update] = [c for c in emulator.calls("chat.update") if c.ok]
    assert (update.args["ts"], update.args["text"]) == (posted.ts, "edited")
    assert {_row(runtime, i).status for i in ids} == {DeliveryStatus.SENT}
    assert _row(runtime, ids[2]).slack_ts == posted.ts


def test_send_now_sends_only_the_rows_it_is_given(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    mine = _plan(runtime, "t_post", "t:mine", n=1)
    other = _plan(runtime, "t_post", "t:other", n=2)
    assert send_now(runtime, [mine]).sent == 1
    texts = [c.args["text"] for c in emulator.calls("chat.postMessage") if c.ok]
    assert texts == ["post 1"]
    assert _row(runtime, other).status == DeliveryStatus.PLANNED
    assert send_now(runtime, [mine]).sent == 0  # already sent: nothing twice


def test_a_renderer_can_refuse_at_send_time(runtime: Runtime, emulator: SlackEmulator) -> None:
    refused = _plan(runtime, "t_refused", "t:refused")
    report = send_now(runtime, [refused])
    assert (report.sent, report.cancelled) == (0, 1)
    row = _row(runtime, refused)
    assert row.status == DeliveryStatus.CANCELLED
    assert row.last_error == "the person took their consent back"
    assert not [c for c in emulator.calls("chat.postMessage") if c.ok]


def test_slack_down_at_send_now_loses_nothing_and_sends_once(
    runtime: Runtime, emulator: SlackEmulator
) -> None:
    clock = SettableClock(runtime.clock.now())
    runtime.clock = clock
    emulator.fail("chat.postMessage", "internal_error")
    delivery_id = _plan(runtime, "t_post", "t:retry", n=7)
    assert send_now(runtime, [delivery_id]).retried == 1
    row = _row(runtime, delivery_id)
    assert row.status == DeliveryStatus.PLANNED
    assert row.last_error == "chat.postMessage: internal_error"
    assert not [c for c in emulator.calls("chat.postMessage") if c.ok]

    later = clock.advance(timedelta(minutes=5))
    run_tick(runtime, later)
    run_tick(runtime, later + timedelta(minutes=10))
    sent = [c.args["text"] for c in emulator.calls("chat.postMessage") if c.ok]
    assert sent == ["post 7"]
    assert _row(runtime, delivery_id).status == DeliveryStatus.SENT


def test_a_key_planned_twice_is_one_row(runtime: Runtime) -> None:
    first = _plan(runtime, "t_post", "t:twice", n=1)
    with runtime.unit_of_work() as session:
        again = plan_now(
            session,
            workspace_id=runtime.require_workspace(),
            kind="t_post",
            key="t:twice",
            now=runtime.clock.now(),
        )
        count = len(list(session.scalars(select(Delivery.id))))
    assert (first is not None, again, count) == (True, None, 1)


def test_send_due_without_renderers_uses_every_feature(runtime: Runtime) -> None:
    _plan(runtime, "t_post", "t:default", n=3)
    assert send_due(runtime, runtime.clock.now(), kinds=["t_post"]) == 1
