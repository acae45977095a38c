"""The participant's App Home dashboard, end to end through the emulator.

Every view published is checked the way Slack checks it (≤100 blocks, unique block ids,
text limits), and every button is pressed with a signed block_actions from the Home tab.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.clock import SettableClock
from bot.flows.home_actions import NO_SESSION_YET, SLOTS_POSTED
from bot.scheduler.tick import run_tick
from bot.services.action_items import add_action_item
from bot.services.goals import GoalDraft, set_goals
from bot.services.learnings import add_learning
from bot.services.sessions import record_held
from bot.slack.pacing import Pacing
from bot.slack_emulator import SlackEmulator
from bot.views.goal_progress import ProgressIds
from bot.views.goals import GoalIds
from bot.views.home import HomeIds
from models import Member, Pair, Participant, Survey
from models.enums import ParticipantStatus, ProgramStatus, SurveyKind, Visibility
from tests.conftest import COORDINATOR
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, make_program
from tests.support.home_flows import (
    assert_valid_home,
    buttons,
    open_home,
    opened_views,
    press_on_home,
    text_of,
)
from tests.support.slack_requests import SlackRequests

NOW = datetime(2030, 3, 5, 9, 0, tzinfo=UTC)  # a Tuesday
ME = ("U0HOMEME01", "Europe/Berlin", 9, 17)
PARTNER_A = ("U0HOMEPA01", "America/New_York", 8, 16)
PARTNER_B = ("U0HOMEPB01", "Asia/Tokyo", 10, 18)
NEWCOMER = "U0HOMENEW1"


def _two_programs(app_server: AppServer, emulator: SlackEmulator) -> tuple[int, int, str]:
    """ME paired in two programs (with A, then B); goals, an item, learnings, a survey."""
    runtime = app_server.runtime
    runtime.clock = SettableClock(NOW)
    runtime.pacing = Pacing(channel_interval=0.0, workspace_per_second=1e6, workspace_burst=1e6)
    started = NOW - timedelta(days=3)
    spring = make_program(runtime, name="Spring cohort", starts_on=started.date())
    autumn = make_program(runtime, name="Autumn cohort", starts_on=started.date())
    pair_a, channel_a = active_pair(
        runtime, emulator, program_id=spring, junior=ME, senior=PARTNER_A, started_at=started
    )
    pair_b, _ = active_pair(
        runtime, emulator, program_id=autumn, junior=ME, senior=PARTNER_B, started_at=started
    )
    with runtime.unit_of_work() as session:
        first = session.get(Pair, pair_a)
        assert first is not None
        mine, theirs = first.junior_id, first.senior_id
        set_goals(
            session,
            pair_id=pair_a,
            owner_id=mine,
            drafts=[
                GoalDraft("Use the BI tool weekly", "Weekly report built in it", date(2030, 6, 1))
            ],
        )
        set_goals(
            session,
            pair_id=pair_a,
            owner_id=theirs,
            drafts=[GoalDraft("Understand our pricing history", "Explain it to my team", None)],
        )
        add_action_item(
            session,
            owner_id=mine,
            pair_id=pair_a,
            session_id=None,
            text="Try the dashboard filters",
            due_on=date(2030, 3, 12),
        )
        add_learning(session, participant_id=mine, pair_id=pair_a, text="Budgets run yearly")
        add_learning(
            session,
            participant_id=theirs,
            pair_id=pair_a,
            text="PARTNER SHARED NOTE",
            visibility=Visibility.PAIR,
        )
        session.add(
            Survey(
                program_id=spring,
                kind=SurveyKind.QUARTERLY,
                period="q1",
                opens_at=NOW - timedelta(days=1),
                closes_at=NOW + timedelta(days=6),
            )
        )
    return pair_a, pair_b, channel_a


def test_home_of_a_participant_in_two_programs_and_its_buttons(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    pair_a, pair_b, channel_a = _two_programs(app_server, emulator)
    me = ME[0]
    view = open_home(slack, emulator, app_server, me)
    text = text_of(view)
    for expected in (
        "*Spring cohort*",
        "*Autumn cohort*",
        f"<@{PARTNER_A[0]}>",
        f"<@{PARTNER_B[0]}>",
        "works 08:00–16:00 their time",
        "04:00 their time",  # 09:00 UTC in New York
        "next rotation",
        "<!date^",
        "Use the BI tool weekly",
        "Weekly report built in it",
        "Understand our pricing history",
        "Try the dashboard filters — due 12 Mar 2030",
        "Budgets run yearly",
        "A survey is open",
        "No progress recorded yet",
    ):
        assert expected in text, expected
    assert "PARTNER SHARED NOTE" not in text  # my learnings only
    assert "Open to join" not in text
    found = buttons(view)
    assert sorted(found[HomeIds.PICK_TIME]) == sorted([str(pair_a), str(pair_b)])
    for action_id in (
        HomeIds.LOG_SESSION,
        HomeIds.ADD_LEARNING,
        HomeIds.GIVE_FEEDBACK,
        HomeIds.PAUSE,
        HomeIds.SURVEY,
        ProgressIds.OPEN,
        GoalIds.EDIT,
    ):
        assert action_id in found, action_id
    assert HomeIds.RESUME not in found

    def press(action_id: str, value: str) -> list[dict[str, object]]:
        before = len(emulator.calls("views.open"))
        assert press_on_home(slack, user=me, action_id=action_id, value=value).status_code == 200
        app_server.wait_idle()
        return opened_views(emulator, before)

    posts_before = len(emulator.calls("chat.postMessage"))
    (notice,) = press(HomeIds.PICK_TIME, str(pair_a))
    assert SLOTS_POSTED in str(notice["blocks"])
    offers = [c for c in emulator.calls("chat.postMessage")[posts_before:] if c.ok]
    assert [c.args["channel"] for c in offers] == [channel_a]

    assert [v["callback_id"] for v in press(HomeIds.LOG_SESSION, "log")] == ["rhythm-log"]
    assert [v["callback_id"] for v in press(HomeIds.ADD_LEARNING, "learning")] == [
        "learnings-add-submit"
    ]
    (no_session,) = press(HomeIds.GIVE_FEEDBACK, "feedback")
    assert NO_SESSION_YET in str(no_session["blocks"])
    with app_server.runtime.unit_of_work() as session:
        record_held(
            session, pair_id=pair_a, held_at=NOW - timedelta(hours=2), minutes=30, source="log"
        )
    # the check-in, at its first step (did you meet?); feedback is asked once you say you did
    assert [v["callback_id"] for v in press(HomeIds.GIVE_FEEDBACK, "feedback")] == [
        "checkin-outcome-step"
    ]
    (survey_id,) = found[HomeIds.SURVEY]
    assert [v["callback_id"] for v in press(HomeIds.SURVEY, survey_id)] == ["survey-form"]
    (goal_id,) = found[ProgressIds.OPEN]
    assert [v["callback_id"] for v in press(ProgressIds.OPEN, goal_id)] == ["goal-progress"]
    assert [v["callback_id"] for v in press(GoalIds.EDIT, str(pair_a))] == ["goals-set"]

    (paused,) = press(HomeIds.PAUSE, "pause")
    assert "paused" in str(paused["blocks"]).lower()
    with app_server.runtime.unit_of_work() as session:
        statuses = set(
            session.scalars(
                select(Participant.status)
                .join(Member, Member.id == Participant.member_id)
                .where(Member.slack_user_id == me)
            )
        )
    assert statuses == {ParticipantStatus.PAUSED}

    publishes = len(emulator.calls("views.publish"))
    run_tick(app_server.runtime, NOW + timedelta(minutes=1))
    app_server.wait_idle()
    (republished,) = [c for c in emulator.calls("views.publish")[publishes:] if c.ok]
    assert republished.args["user_id"] == me
    after_pause = republished.json("view")
    assert_valid_home(after_pause)
    assert HomeIds.RESUME in buttons(after_pause)
    assert HomeIds.PAUSE not in buttons(after_pause)
    (resumed,) = press(HomeIds.RESUME, "resume")
    assert "Welcome back" in str(resumed["blocks"])


def test_home_for_a_coordinator_and_for_a_newcomer(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    make_program(runtime, name="Next cohort")
    make_program(runtime, name="Old cohort", status=ProgramStatus.CLOSED)
    emulator.add_user(NEWCOMER, name="newcomer", real_name="New Comer", tz="Europe/Lisbon")

    coordinator = open_home(slack, emulator, app_server, COORDINATOR)
    assert "Open to join" not in text_of(coordinator)
    assert HomeIds.JOIN not in buttons(coordinator)
    # the open program shows in the coordinators' section, as a program to run
    assert "Your programs, as coordinator" in text_of(coordinator)
    assert "Next cohort" in text_of(coordinator)

    newcomer = open_home(slack, emulator, app_server, NEWCOMER)
    text = text_of(newcomer)
    assert "You're not in a program yet" in text
    assert "*Open to join:* *Next cohort*" in text
    assert "Old cohort" not in text
    before = len(emulator.calls("views.open"))
    press_on_home(slack, user=NEWCOMER, action_id=HomeIds.JOIN, value="join")
    app_server.wait_idle()
    assert [v["callback_id"] for v in opened_views(emulator, before)] == ["enrol-join"]


def test_a_coordinators_home_refreshed_by_the_scheduler_stays_a_coordinators(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    """A coordinator named only in TWOWAY_COORDINATORS (not in the database): the Home the
    outbox republishes shows their section, and no "Open to join" lines."""
    from bot.services.home_refresh import mark_home, note_home_opened

    runtime = app_server.runtime
    make_program(runtime, name="Next cohort")
    now = runtime.clock.now()
    with runtime.unit_of_work() as session:
        workspace_id = runtime.require_workspace()
        note_home_opened(
            session, workspace_id=workspace_id, user_id=COORDINATOR, now=now, is_coordinator=True
        )
        assert mark_home(
            session, workspace_id=runtime.require_workspace(), user_id=COORDINATOR, now=now
        )
    run_tick(runtime, now)
    view = emulator.published_home(COORDINATOR)
    assert view is not None
    text = str(view["blocks"])
    assert "Your programs, as coordinator" in text
    assert "Open to join" not in text


def test_a_home_is_republished_after_a_change_only_once_its_person_has_opened_it(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    """Slack asks for a fresh Home each time one is opened: changes before the first look
    cost no render and no views.publish; after it, each change republishes the Home."""
    _two_programs(app_server, emulator)
    me = ME[0]
    runtime = app_server.runtime

    def publishes_after(change: str, minute: int) -> list[str]:
        before = len(emulator.calls("views.publish"))
        assert slack.command(change, user=me).status_code == 200
        app_server.wait_idle()
        run_tick(runtime, NOW + timedelta(minutes=minute))
        app_server.wait_idle()
        return [c.args["user_id"] for c in emulator.calls("views.publish")[before:] if c.ok]

    assert publishes_after("pause", 1) == []  # never opened: nothing to refresh
    assert publishes_after("resume", 2) == []
    with runtime.unit_of_work() as session:
        assert (
            session.scalar(select(Member.home_opened_at).where(Member.slack_user_id == me)) is None
        )

    open_home(slack, emulator, app_server, me)
    assert publishes_after("pause", 3) == [me]
    assert HomeIds.RESUME in buttons(emulator.published_home(me) or {})
    assert publishes_after("resume", 4) == [me]
    assert HomeIds.PAUSE in buttons(emulator.published_home(me) or {})
