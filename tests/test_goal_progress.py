"""Goals tracked against their indicators, and the Home republished once per tick.

Progress is recorded through the modal (from `/mentor goals`' menu or the Home), bad
values are refused with field errors and nothing stored; the step shows on both
partners' Homes and in `/mentor goals`. Several changes before a tick make one
`views.publish` per person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.clock import SettableClock
from bot.scheduler.tick import run_tick
from bot.services.goals import GoalDraft, set_goals
from bot.slack.pacing import Pacing
from bot.slack_emulator import SlackEmulator
from bot.views.goal_progress import ProgressIds as P
from bot.views.goals import GoalIds
from bot.views.home import HomeIds
from models import Goal, GoalProgress, Pair
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.home_flows import assert_valid_home, buttons, open_home, press_on_home
from tests.support.interactions import click, submit_view, text
from tests.support.slack_requests import SlackRequests

NOW = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)
JUNIOR = ("U0PROGJUN1", "Europe/Berlin", 9, 17)
SENIOR = ("U0PROGSEN1", "America/New_York", 8, 16)


def _pair_with_goals(app_server: AppServer, emulator: SlackEmulator) -> tuple[int, str, int]:
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    runtime.pacing = Pacing(channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6)
    program = make_program(runtime, name="Progress cohort", starts_on=NOW.date())
    pair_id, channel = active_pair(
        runtime,
        emulator,
        program_id=program,
        junior=JUNIOR,
        senior=SENIOR,
        started_at=NOW - timedelta(days=2),
    )
    with runtime.unit_of_work() as session:
        pair = session.get(Pair, pair_id)
        assert pair is not None
        (goal,) = set_goals(
            session,
            pair_id=pair_id,
            owner_id=pair.junior_id,
            drafts=[GoalDraft("Ship five dashboards", "5 dashboards in use", date(2030, 6, 1))],
        )
    return pair_id, channel, goal.id


def _values(percent: str = "", count: str = "", note: str = "") -> dict:
    return {
        P.PERCENT: text(P.PERCENT, percent),
        P.COUNT: text(P.COUNT, count),
        P.NOTE: text(P.NOTE, note),
    }


def _stored(app_server: AppServer) -> list[GoalProgress]:
    with app_server.runtime.unit_of_work() as session:
        return list(session.scalars(select(GoalProgress).order_by(GoalProgress.id)))


def _publishes(emulator: SlackEmulator, since: int) -> list[str]:
    return sorted(c.args["user_id"] for c in emulator.calls("views.publish")[since:] if c.ok)


def test_progress_is_validated_stored_shown_and_homes_coalesce(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    _pair_id, channel, goal_id = _pair_with_goals(app_server, emulator)
    junior, senior = JUNIOR[0], SENIOR[0]
    run_tick(app_server.runtime, NOW)  # the goals set above were not marked: nothing to publish
    app_server.wait_idle()
    for person in (junior, senior):  # both have their Home open: changes republish it
        open_home(slack, emulator, app_server, person)
    start = len(emulator.calls("views.publish"))

    overview = slack.command("goals", user=junior).json()
    menu = next(
        b["accessory"]
        for b in overview["blocks"]
        if b.get("accessory", {}).get("type") == "overflow"
    )
    assert f"{goal_id}:progress" in [o["value"] for o in menu["options"]]
    before = len(emulator.calls("views.open"))
    click(
        slack,
        user=junior,
        action_id=GoalIds.STATUS_MENU,
        value="",
        channel=channel,
        selected_value=f"{goal_id}:progress",
    )
    opened = emulator.wait_for("views.open", before + 1)[-1]
    view, view_id = opened.json("view"), opened.response["view"]["id"]
    assert view["callback_id"] == P.CALLBACK

    refused = {
        "150": _values(percent="150"),
        "minus": _values(count="-1"),
        "both": _values(percent="40", count="2"),
        "none": _values(note="just a note"),
        "letters": _values(percent="lots"),
        "long": _values(percent="10", note="x" * 301),
    }
    expected_fields = {
        "150": {P.PERCENT},
        "minus": {P.COUNT},
        "both": {P.COUNT},
        "none": {P.PERCENT},
        "letters": {P.PERCENT},
        "long": {P.NOTE},
    }
    for name, values in refused.items():
        answer = submit_view(slack, user=junior, view=view, view_id=view_id, values=values).json()
        assert answer["response_action"] == "errors", name
        assert set(answer["errors"]) == expected_fields[name], name
    assert _stored(app_server) == []

    good = _values(percent="40", note="Two dashboards live")
    assert submit_view(slack, user=junior, view=view, view_id=view_id, values=good).text == ""
    assert submit_view(slack, user=junior, view=view, view_id=view_id, values=good).text == ""
    (step,) = _stored(app_server)  # the double submit stored nothing more
    assert (step.percent, step.amount, step.note) == (40, None, "Two dashboards live")

    # The partner can't record progress on a goal that isn't theirs.
    before = len(emulator.calls("views.open"))
    press_on_home(slack, user=senior, action_id=P.OPEN, value=str(goal_id))
    app_server.wait_idle()
    (refusal,) = [c.json("view") for c in emulator.calls("views.open")[before:]]
    assert "Only the goal's owner" in str(refusal["blocks"])

    # More changes in the same tick: a count from the Home's button, and a pause.
    before = len(emulator.calls("views.open"))
    press_on_home(slack, user=junior, action_id=P.OPEN, value=str(goal_id))
    home_modal = emulator.wait_for("views.open", before + 1)[-1]
    assert home_modal.json("view")["callback_id"] == P.CALLBACK
    submit_view(
        slack,
        user=junior,
        view=home_modal.json("view"),
        view_id=home_modal.response["view"]["id"],
        values=_values(count="3", note="Three in use now"),
    )
    press_on_home(slack, user=junior, action_id=HomeIds.PAUSE, value="pause")
    app_server.wait_idle()
    assert len(_stored(app_server)) == 2
    assert _publishes(emulator, start) == []  # nothing until the tick

    run_tick(app_server.runtime, NOW + timedelta(minutes=1))
    app_server.wait_idle()
    assert _publishes(emulator, start) == sorted([junior, senior])  # one each
    homes = {c.args["user_id"]: c.json("view") for c in emulator.calls("views.publish")[start:]}
    for user_id, home in homes.items():
        assert_valid_home(home)
        assert "3 so far" in str(home["blocks"]), user_id
        assert "Three in use now" in str(home["blocks"]), user_id  # the pair shares notes
    assert HomeIds.RESUME in buttons(homes[junior])

    run_tick(app_server.runtime, NOW + timedelta(minutes=2))
    app_server.wait_idle()
    assert len(_publishes(emulator, start)) == 2  # nothing changed since: no publish

    overview = str(slack.command("goals", user=senior).json()["blocks"])
    assert "3 so far" in overview
    assert "Three in use now" in overview

    # Achieved goals stay in the pair's record, with their last step.
    click(
        slack,
        user=junior,
        action_id=GoalIds.STATUS_MENU,
        value="",
        channel=channel,
        selected_value=f"{goal_id}:achieved",
    )
    app_server.wait_idle()
    run_tick(app_server.runtime, NOW + timedelta(minutes=3))
    app_server.wait_idle()
    latest = emulator.published_home(senior)
    assert latest is not None
    assert "Achieved together so far: Ship five dashboards" in str(latest["blocks"])
    with app_server.runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Goal)) == 1
