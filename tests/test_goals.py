"""Each side of a pair sets measurable goals; the pair DM sees them; only members can act."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import SettableClock
from bot.messages.goals import GOALS_SET
from bot.scheduler.tick import run_tick
from bot.slack_emulator import SlackEmulator
from bot.views.goals import GoalIds as G
from bot.views.pairs import PairIds
from models import Delivery, Goal, Pair
from models.enums import DeliveryStatus, GoalStatus
from tests.support.app_server import AppServer
from tests.support.factories import days_from_today
from tests.support.flows import JUNIOR, SENIOR, matched_pair, wait_until
from tests.support.interactions import click, picked_date, submit_view, text
from tests.support.slack_requests import SlackRequests


def _goal_values(*goals: tuple[str, str, str | None]) -> dict:
    values: dict = {}
    for index in range(3):
        goal_text, indicator, target = goals[index] if index < len(goals) else ("", "", None)
        values[f"{G.TEXT}-{index}"] = text(G.TEXT, goal_text)
        values[f"{G.INDICATOR}-{index}"] = text(G.INDICATOR, indicator)
        values[f"{G.TARGET}-{index}"] = picked_date(G.TARGET, target)
    return values


def _pair_id(app_server: AppServer) -> str:
    with app_server.runtime.unit_of_work() as session:
        return str(session.scalar(select(Pair.id)))


def _goal_posts(emulator: SlackEmulator) -> list:
    return [
        c for c in emulator.calls("chat.postMessage") if "set their goals" in c.args.get("text", "")
    ]


def _goal_notices(app_server: AppServer) -> list[Delivery]:
    with app_server.runtime.unit_of_work() as session:
        return list(
            session.scalars(
                select(Delivery).where(Delivery.kind == GOALS_SET).order_by(Delivery.id)
            )
        )


def _open_goals(
    slack: SlackRequests, emulator: SlackEmulator, user: str, pair_id: str, dm: str
) -> tuple[dict, str]:
    before = len(emulator.calls("views.open"))
    click(slack, user=user, action_id=PairIds.OPEN_GOALS, value=pair_id, channel=dm)
    call = emulator.wait_for("views.open", before + 1)[-1]
    return call.json("view"), call.response["view"]["id"]


def test_both_sides_set_goals_and_see_them(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    pair_id = _pair_id(app_server)
    target = days_from_today(60).isoformat()

    view, view_id = _open_goals(slack, emulator, JUNIOR, pair_id, dm)
    bad = submit_view(
        slack,
        user=JUNIOR,
        view=view,
        view_id=view_id,
        values=_goal_values(
            ("Coach on AI tools", "", target), ("Hi", "x", days_from_today(-2).isoformat())
        ),
    )
    errors = bad.json()["errors"]
    assert set(errors) == {f"{G.INDICATOR}-0", f"{G.TEXT}-1", f"{G.TARGET}-1"}
    good = _goal_values(
        ("Coach Sam on AI tools", "Sam drafts a memo with an AI assistant monthly", target)
    )
    assert submit_view(slack, user=JUNIOR, view=view, view_id=view_id, values=good).text == ""
    assert (
        submit_view(slack, user=JUNIOR, view=view, view_id=view_id, values=good).text == ""
    )  # double submit

    view, view_id = _open_goals(slack, emulator, SENIOR, pair_id, dm)
    senior_goals = _goal_values(
        ("Learn the new dashboard tool", "weekly report built in it", target),
        ("Understand Gen Z expectations", "3 insights applied in my team", target),
    )
    submit_view(slack, user=SENIOR, view=view, view_id=view_id, values=senior_goals)

    app_server.wait_idle()
    posts = _goal_posts(emulator)
    assert sorted(c.args["text"] for c in posts) == [
        f"<@{JUNIOR}> set their goals",
        f"<@{SENIOR}> set their goals",
    ]
    assert {c.args["channel"] for c in posts} == {dm}
    assert all(c.ok for c in posts)
    assert [d.status for d in _goal_notices(app_server)] == [DeliveryStatus.SENT] * 2
    with app_server.runtime.unit_of_work() as session:
        goals = session.scalars(select(Goal)).all()
    assert len(goals) == 3

    overview = slack.command("goals", user=JUNIOR).json()
    rendered = str(overview["blocks"])
    assert "Coach Sam on AI tools" in rendered
    assert "Learn the new dashboard tool" in rendered
    answered = len(emulator.responses())
    mine = next(g for g in goals if g.text.startswith("Coach"))
    click(
        slack,
        user=JUNIOR,
        action_id=G.STATUS_MENU,
        value="",
        channel=dm,
        selected_value=f"{mine.id}:achieved",
    )
    theirs = next(g for g in goals if g.text.startswith("Learn"))
    click(
        slack,
        user=JUNIOR,
        action_id=G.STATUS_MENU,
        value="",
        channel=dm,
        selected_value=f"{theirs.id}:dropped",
    )
    wait_until(lambda: len(emulator.responses()) >= answered + 2)
    with app_server.runtime.unit_of_work() as session:
        statuses = {g.text[:5]: g.status for g in session.scalars(select(Goal))}
    assert statuses["Coach"] == GoalStatus.ACHIEVED
    assert statuses["Learn"] == GoalStatus.OPEN  # not the junior's to change
    assert any("Only the goal's owner" in r.get("text", "") for r in emulator.responses())


def test_the_goal_notice_reaches_the_partner_once_after_slack_failed(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    runtime = app_server.runtime
    start = runtime.clock.now()
    runtime.clock = SettableClock(start)
    pair_id = _pair_id(app_server)
    target = days_from_today(45).isoformat()
    view, view_id = _open_goals(slack, emulator, JUNIOR, pair_id, dm)
    emulator.fail("chat.postMessage", "internal_error")

    values = _goal_values(("Coach Sam on AI tools", "one memo drafted with AI monthly", target))
    response = submit_view(slack, user=JUNIOR, view=view, view_id=view_id, values=values)
    assert (response.status_code, response.text) == (200, "")
    app_server.wait_idle()

    assert [c.ok for c in _goal_posts(emulator)] == [False]
    (planned,) = _goal_notices(app_server)
    assert (planned.status, planned.attempts) == (DeliveryStatus.PLANNED, 1)
    assert planned.pair_id == int(pair_id)
    assert set(planned.payload) == {"owner_id"}  # an id, never the goals' words
    with runtime.unit_of_work() as session:
        (goal,) = session.scalars(select(Goal))
        assert goal.text == "Coach Sam on AI tools"  # the goals stand

    run_tick(runtime, start + timedelta(minutes=3))
    run_tick(runtime, start + timedelta(hours=2))
    posts = _goal_posts(emulator)
    assert [c.ok for c in posts] == [False, True]
    assert posts[-1].args["channel"] == dm
    assert "Coach Sam on AI tools" in str(posts[-1].json("blocks"))
    assert sum("set their goals" in m.get("text", "") for m in emulator.messages(dm)) == 1
    (sent,) = _goal_notices(app_server)
    assert (sent.status, sent.attempts) == (DeliveryStatus.SENT, 2)


def test_editing_goals_prefills_and_replaces(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    pair_id = _pair_id(app_server)
    target = days_from_today(30).isoformat()
    view, view_id = _open_goals(slack, emulator, JUNIOR, pair_id, dm)
    submit_view(
        slack,
        user=JUNIOR,
        view=view,
        view_id=view_id,
        values=_goal_values(
            ("First version of goal", "indicator one", target),
            ("Second goal here", "indicator two", target),
        ),
    )
    view, view_id = _open_goals(slack, emulator, JUNIOR, pair_id, dm)
    assert "First version of goal" in str(view["blocks"])
    submit_view(
        slack,
        user=JUNIOR,
        view=view,
        view_id=view_id,
        values=_goal_values(("Better version of goal", "indicator one", target)),
    )
    with app_server.runtime.unit_of_work() as session:
        texts = [g.text for g in session.scalars(select(Goal))]
    assert texts == ["Better version of goal"]


def test_a_button_from_outside_the_pair_changes_nothing(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    dm = matched_pair(slack, emulator, app_server)
    pair_id = _pair_id(app_server)
    before = len(emulator.calls("views.open"))
    answered = len(emulator.responses())
    click(slack, user="U0JUNIOR01", action_id=PairIds.OPEN_GOALS, value=pair_id, channel=dm)
    wait_until(lambda: len(emulator.responses()) > answered)
    assert "belongs to another pair" in emulator.responses()[-1]["text"]
    assert len(emulator.calls("views.open")) == before


def test_pair_command_shows_partner_and_rotation(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    matched_pair(slack, emulator, app_server)
    body = slack.command("pair", user=SENIOR).json()
    rendered = str(body["blocks"])
    assert f"<@{JUNIOR}> (junior, Marketing)" in rendered
    assert "next rotation" in rendered
    nobody = slack.command("pair", user="U0JUNIOR01").json()
    assert "no partner right now" in str(nobody["blocks"])
