"""A win is posted to the program's celebration channel only when every partner approved
the same text, exactly once; never after a decline or a withdrawal; an edit needs the
other partner's approval of the new words; no channel means nothing posted and a clear
pointer to the command that sets one; an achieved goal offers a celebration."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.scheduler.tick import run_tick
from bot.services.celebrations import POST
from bot.slack_emulator import SlackEmulator
from bot.views.celebrations import CelebrationIds as C
from bot.views.goals import GoalIds
from models import AuditLog, Delivery, Goal, Participant
from models.celebration import CelebrationStatus
from models.enums import AuditOutcome, DeliveryStatus, Role
from tests.conftest import ADMIN_CHANNEL, COORDINATOR
from tests.support.app_server import AppServer
from tests.support.celebration_flows import (
    JUNIOR,
    PUBLIC,
    SENIOR,
    buttons,
    celebrating_pair,
    celebrations,
    draft,
    draft_values,
    open_modal,
    posts_in,
    press,
    program,
)
from tests.support.interactions import channel as channel_value
from tests.support.interactions import click, submit_view
from tests.support.slack_requests import SlackRequests

J, S = JUNIOR[0], SENIOR[0]
OUTSIDER = "U0JUNIOR01"


def _answers(emulator: SlackEmulator, since: int) -> list[str]:
    return [r.get("text", "") for r in emulator.responses("slash")[since:]]


def test_posted_once_only_after_both_approve_never_after_decline_or_withdrawal(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    celebrating_pair(app_server, emulator)
    view, view_id = open_modal(slack, emulator, user=J)
    bad = submit_view(
        slack, user=J, view=view, view_id=view_id, values=draft_values("short", "")
    ).json()
    assert set(bad["errors"]) == {C.WHAT, C.FOR_WHOM}
    values = draft_values("Sam's team now drafts release notes with an AI assistant", "Sales")
    for _ in range(2):  # a double submission saves one win
        submit_view(slack, user=J, view=view, view_id=view_id, values=values)
    app_server.wait_idle()
    (win,) = celebrations(app_server)
    assert (win.status, win.version, len(win.approved_ids)) == (CelebrationStatus.PENDING, 1, 1)
    assert posts_in(emulator, PUBLIC) == []
    assert buttons(emulator, J, C.APPROVE) == []  # the author approved by writing it...
    assert len(buttons(emulator, J, C.WITHDRAW)) == 1  # ...and may still withdraw it
    (approve,) = buttons(emulator, S, C.APPROVE)

    answered = len(emulator.responses("slash"))
    press(slack, OUTSIDER, approve, C.APPROVE)  # not theirs: refused, nothing changes
    for _ in range(3):  # the partner's approval, clicked three times
        press(slack, S, approve, C.APPROVE)
    app_server.wait_idle()
    answers = _answers(emulator, answered)
    assert "belongs to another pair" in answers[0]
    assert sum("being posted now" in a for a in answers) == 1
    assert sum("Already approved" in a for a in answers) == 2
    (post,) = posts_in(emulator, PUBLIC)
    assert f"<@{J}>" in post["text"]
    assert f"<@{S}>" in post["text"]
    assert "release notes with an AI assistant" in str(post["blocks"])
    with app_server.runtime.unit_of_work() as session:
        rows = session.scalars(select(Delivery).where(Delivery.kind == POST)).all()
    assert [r.status for r in rows] == [DeliveryStatus.SENT]
    (win,) = celebrations(app_server)
    assert win.status == CelebrationStatus.APPROVED
    assert win.posted_at is not None
    assert win.slack_channel == PUBLIC
    answered = len(emulator.responses("slash"))
    press(slack, J, buttons(emulator, J, C.WITHDRAW)[0], C.WITHDRAW)  # too late now
    app_server.wait_idle()
    assert "already posted" in _answers(emulator, answered)[0]

    # Declined: never posted, not even when the stale Approve is pressed afterwards.
    draft(slack, emulator, app_server, user=J, what="Sam now runs the weekly report himself")
    approve, decline = buttons(emulator, S, C.APPROVE)[-1], buttons(emulator, S, C.DECLINE)[-1]
    press(slack, S, decline, C.DECLINE)
    app_server.wait_idle()
    press(slack, S, approve, C.APPROVE)
    app_server.wait_idle()
    assert celebrations(app_server)[-1].status == CelebrationStatus.DECLINED
    assert any("declined the win" in m.get("text", "") for m in emulator.messages())

    # Withdrawn by its author before the partner approved: never posted.
    draft(slack, emulator, app_server, user=S, what="Jo learned to present to the board")
    press(slack, S, buttons(emulator, S, C.WITHDRAW)[-1], C.WITHDRAW)
    app_server.wait_idle()
    answered = len(emulator.responses("slash"))
    press(slack, J, buttons(emulator, J, C.APPROVE)[-1], C.APPROVE)
    app_server.wait_idle()
    assert "declined or withdrawn" in _answers(emulator, answered)[0]
    assert [c.status for c in celebrations(app_server)] == [
        CelebrationStatus.APPROVED,
        CelebrationStatus.DECLINED,
        CelebrationStatus.WITHDRAWN,
    ]
    assert len(posts_in(emulator, PUBLIC)) == 1


def test_an_edit_by_the_partner_needs_the_authors_approval_of_the_new_text(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    celebrating_pair(app_server, emulator)
    draft(slack, emulator, app_server, user=J, what="ORIGINAL wording of our shared win")
    (edit,) = buttons(emulator, S, C.EDIT)
    (old_approve,) = buttons(emulator, S, C.APPROVE)
    view, view_id = open_modal(
        slack, emulator, user=S, action_id=C.EDIT, value=edit[2], channel=edit[0]
    )
    assert "ORIGINAL wording" in str(view["blocks"])  # the form starts from the current text
    values = draft_values("EDITED wording: the whole sales team uses the AI assistant", "Sales")
    submit_view(slack, user=S, view=view, view_id=view_id, values=values)
    app_server.wait_idle()
    (win,) = celebrations(app_server)
    assert (win.version, win.status) == (2, CelebrationStatus.PENDING)
    assert posts_in(emulator, PUBLIC) == []  # the editor's approval alone is not enough

    answered = len(emulator.responses("slash"))
    press(slack, S, old_approve, C.APPROVE)  # an approval of the old text counts for nothing
    app_server.wait_idle()
    assert "text changed" in _answers(emulator, answered)[0]
    assert posts_in(emulator, PUBLIC) == []
    approvals = buttons(emulator, J, C.APPROVE)  # the author is asked about the new words
    assert len(approvals) == 1
    assert approvals[0][2].endswith(":2")
    press(slack, J, approvals[0], C.APPROVE)
    app_server.wait_idle()
    (post,) = posts_in(emulator, PUBLIC)
    assert "EDITED wording" in str(post["blocks"])
    assert "ORIGINAL" not in str(post["blocks"])


def test_without_a_celebration_channel_nothing_is_posted_and_people_are_told_how(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    program_id, _ = celebrating_pair(app_server, emulator, channel=None)
    draft(slack, emulator, app_server, user=J, what="Our first shared win, no channel yet")
    answered = len(emulator.responses("slash"))
    press(slack, S, buttons(emulator, S, C.APPROVE)[0], C.APPROVE)
    app_server.wait_idle()
    (answer,) = _answers(emulator, answered)
    assert "no celebration channel" in answer
    assert "/mentor admin celebrations channel" in answer
    alerts = [m["text"] for m in emulator.messages(ADMIN_CHANNEL)]
    assert any("/mentor admin celebrations channel Wins" in a for a in alerts)
    assert not [m for m in emulator.messages() if "A win from" in m.get("text", "")]
    assert not any("no channel yet" in a for a in alerts)  # the win's words stay with the pair

    # The command it names: coordinators only, in the admin channel; a form; audited.
    answered = len(emulator.responses("slash"))
    slack.command("admin celebrations channel Wins", user=J, channel=ADMIN_CHANNEL)
    app_server.wait_idle()
    assert "for program coordinators" in _answers(emulator, answered)[0]
    before = len(emulator.calls("views.open"))
    slack.command("admin celebrations channel Wins", user=COORDINATOR, channel=ADMIN_CHANNEL)
    call = emulator.wait_for("views.open", before + 1)[before]
    view, view_id = call.json("view"), call.response["view"]["id"]
    state = {C.CHANNEL: channel_value(C.CHANNEL, PUBLIC)}
    refused = submit_view(slack, user=J, view=view, view_id=view_id, values=state)
    assert refused.status_code == 200
    app_server.wait_idle()
    assert program(app_server, program_id).celebration_channel_id is None
    submit_view(slack, user=COORDINATOR, view=view, view_id=view_id, values=state)
    app_server.wait_idle()
    assert program(app_server, program_id).celebration_channel_id == PUBLIC
    with app_server.runtime.unit_of_work() as session:
        audits = session.execute(
            select(AuditLog.actor_user_id, AuditLog.outcome).where(
                AuditLog.action == "admin.celebrations.channel"
            )
        ).all()
    assert sorted(audits) == sorted(
        [(J, AuditOutcome.DENIED), (J, AuditOutcome.DENIED), (COORDINATOR, AuditOutcome.OK)]
    )


def test_an_achieved_goal_offers_its_owner_a_celebration_once(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    _, pair_id = celebrating_pair(app_server, emulator)
    with app_server.runtime.unit_of_work() as session:
        owner = session.scalar(select(Participant.id).where(Participant.role == Role.JUNIOR))
        goal = Goal(pair_id=pair_id, owner_id=owner, text="Coach Sam on AI tools", indicator="x")
        session.add(goal)
        session.flush()
        goal_id = goal.id
    for status in ("achieved", "open", "achieved"):  # achieved twice: offered once
        click(
            slack,
            user=J,
            action_id=GoalIds.STATUS_MENU,
            value="",
            selected_value=f"{goal_id}:{status}",
        )
        app_server.wait_idle()
    (offer,) = buttons(emulator, J, C.OFFER)
    offers = [m for m in emulator.messages() if "Celebrate this?" in m.get("text", "")]
    assert len(offers) == 1
    assert "Coach Sam on AI tools" in str(offers[0]["blocks"])
    answered, modals = len(emulator.responses("slash")), len(emulator.calls("views.open"))
    press(slack, OUTSIDER, offer, C.OFFER)
    app_server.wait_idle()
    assert "belongs to another pair" in _answers(emulator, answered)[0]
    assert len(emulator.calls("views.open")) == modals
    view, view_id = open_modal(
        slack, emulator, user=J, action_id=C.OFFER, value=offer[2], channel=offer[0]
    )
    assert "Coach Sam on AI tools" in str(view["blocks"])  # the goal starts the draft
    submit_view(
        slack, user=J, view=view, view_id=view_id, values=draft_values("Sam uses AI tools", "Sam")
    )
    app_server.wait_idle()
    (win,) = celebrations(app_server)
    assert win.goal_id == goal_id
    assert len(buttons(emulator, S, C.APPROVE)) == 1


def test_withdrawn_after_both_approved_but_before_slack_took_it_is_never_posted(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    celebrating_pair(app_server, emulator)
    draft(slack, emulator, app_server, user=J, what="A win Slack will not take at first")
    (approve,) = buttons(emulator, S, C.APPROVE)
    answered, modals = len(emulator.responses("slash")), len(emulator.calls("views.open"))
    for user, action in ((S, C.EDIT), (S, C.DECLINE), (J, C.WITHDRAW)):  # strangers: nothing
        press(slack, OUTSIDER, buttons(emulator, user, action)[0], action)
    app_server.wait_idle()
    assert all("belongs to another pair" in a for a in _answers(emulator, answered))
    assert len(_answers(emulator, answered)) == 3
    assert len(emulator.calls("views.open")) == modals
    assert celebrations(app_server)[0].status == CelebrationStatus.PENDING
    emulator.fail("chat.postMessage", "internal_error")
    press(slack, S, approve, C.APPROVE)
    app_server.wait_idle()
    assert celebrations(app_server)[0].status == CelebrationStatus.APPROVED
    assert posts_in(emulator, PUBLIC) == []  # Slack refused; the post waits for a retry
    press(slack, J, buttons(emulator, J, C.WITHDRAW)[0], C.WITHDRAW)
    app_server.wait_idle()
    later = app_server.runtime.clock.now() + timedelta(hours=1)
    run_tick(app_server.runtime, later)
    assert posts_in(emulator, PUBLIC) == []
    assert celebrations(app_server)[0].status == CelebrationStatus.WITHDRAWN
    with app_server.runtime.unit_of_work() as session:
        (row,) = session.scalars(select(Delivery).where(Delivery.kind == POST)).all()
    assert row.status == DeliveryStatus.CANCELLED
    assert any("withdrew the win" in m.get("text", "") for m in emulator.messages())
