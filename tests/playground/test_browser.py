"""The playground in a real browser: Debian's headless Chromium driven by Playwright.

One scenario, as a coordinator would live it: create a program in the modal (a field
error first), two people join, match and confirm, the junior reads the intro in the pair
DM, a week passes, *Pick a time* and a slot, then the App Home. Screenshots go to a tmp
dir; the pair DM's one is also docs/playground.png for the README.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.playground.launch import Running, start_in_thread
from bot.playground.people import ADMIN_CHANNEL, COORDINATOR, JUNIORS, SENIORS
from bot.slack_emulator.browse import im_id
from tests.support.databases import SqliteDatabases

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
JUNIOR = JUNIORS[0]  # Lena Hoffmann, Berlin
SENIOR = SENIORS[1]  # Susan Whitfield, New York
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday: afternoon in Berlin, morning in New York


def _browser_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"Chromium is needed for the browser test in CI and is missing at {CHROMIUM}")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture
def playground(sqlite_databases: SqliteDatabases) -> Iterator[Running]:
    """People and channels only (the test creates the program); on a copy of the session's
    migrated SQLite template, so no migration runs here."""
    database = Path(make_url(sqlite_databases.migrated()).database or "")
    running = start_in_thread(database, seed=False, now=NOW, fresh=False)
    yield running
    running.stop()


@pytest.fixture
def page(playground: Running) -> Iterator[Any]:
    executable = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1360, "height": 860})
        context.set_default_timeout(15_000)
        opened = context.new_page()
        opened.on("dialog", lambda dialog: dialog.accept())  # Slack-style confirm dialogs
        yield opened
        browser.close()


def _send(page: Any, text: str) -> None:
    page.fill("#message-box", text)
    with page.expect_navigation():
        page.click("#composer button[type=submit]")


def _submit_modal(page: Any) -> None:
    with page.expect_navigation():
        page.click("#modal-submit")


def _join(page: Any, playground: Running, person: Any) -> None:
    dm = im_id(playground.emulator.workspace, person.user_id)
    page.goto(f"{playground.url}/as/{person.user_id}?c={dm}")
    _send(page, "/mentor join")
    modal = page.locator("#modal")
    modal.locator(f"input[type=radio][value={person.role}]").check()
    modal.locator("input[name='enrol-department::enrol-department']").fill(person.department)
    modal.locator("select[name='enrol-can-share::enrol-can-share']").select_option(
        list(person.can_share)
    )
    modal.locator("select[name='enrol-wants-to-learn::enrol-wants-to-learn']").select_option(
        list(person.wants_to_learn)
    )
    modal.locator("select[name='enrol-languages::enrol-languages']").select_option(["en"])
    _submit_modal(page)
    assert page.locator("#modal").count() == 0
    assert "Pilot cohort" in page.locator("#timeline").inner_text()  # the confirmation DM


def test_a_coordinator_lives_through_a_first_pairing_in_the_browser(
    playground: Running, page: Any, tmp_path: Path
) -> None:
    base = playground.url
    shots = Path("/tmp/pgshots") if os.environ.get("PG_SHOTS") else tmp_path / "screenshots"
    shots.mkdir(exist_ok=True)

    # The coordinator creates a program in the modal; an empty name is refused first.
    page.goto(f"{base}/as/{COORDINATOR.user_id}?c={ADMIN_CHANNEL}")
    assert "Maya Lindqvist" in page.inner_text(".sidebar .me")
    _send(page, "/mentor admin program create")
    modal = page.locator("#modal")
    assert "New program" in modal.inner_text()
    page.click("#modal-submit")
    error = modal.locator("[data-error-for='program-name']")
    error.wait_for(state="visible")
    page.wait_for_function(
        "document.querySelector(\"[data-error-for='program-name']\").textContent.length > 0"
    )
    assert "name" in error.inner_text()
    modal.locator("input[name='program-name::program-name']").fill("Pilot cohort")
    modal.locator("select[name='program-cadence::program-cadence']").select_option("weekly")
    modal.locator(
        "select[name='program-celebration-channel::program-celebration-channel']"
    ).select_option(label="wins")
    page.screenshot(path=shots / "1-program-modal.png")
    _submit_modal(page)
    assert page.locator("#modal").count() == 0
    assert "Pilot cohort" in page.inner_text("#timeline")

    # Two people join from their DM with the app.
    _join(page, playground, JUNIOR)
    page.screenshot(path=shots / "2-joined.png")
    _join(page, playground, SENIOR)

    # The coordinator previews the match and confirms it.
    page.goto(f"{base}/as/{COORDINATOR.user_id}?c={ADMIN_CHANNEL}")
    _send(page, "/mentor admin match")
    assert "Match preview" in page.inner_text("#timeline")
    page.screenshot(path=shots / "3-match-preview.png")
    with page.expect_navigation():
        page.locator("#timeline button.bk-button", has_text="Confirm").first.click()
    assert "confirmed round 1 of Pilot cohort" in page.inner_text("#timeline")

    # The junior finds the pair's group DM and its introduction.
    page.goto(f"{base}/as/{JUNIOR.user_id}")
    pair_link = page.locator(".sidebar li.conv-mpim a").first
    assert "Susan Whitfield" in pair_link.inner_text()
    with page.expect_navigation():
        pair_link.click()
    timeline = page.locator("#timeline")
    assert "@Susan Whitfield" in timeline.inner_text()
    assert timeline.locator("button", has_text="Set my goals").count() == 1
    pair_url = page.url

    # A week passes: the scheduler sends the session nudge; a time is picked.
    with page.expect_navigation():
        page.click(".clock-step[data-step=week]")
    assert "09 Mar 2026" in page.inner_text("#now")
    page.goto(pair_url)
    pick = page.locator("#timeline button", has_text="Pick a time")
    assert pick.count() >= 1
    with page.expect_navigation():
        pick.last.click()
    offer = page.locator("#timeline article").last
    slots = offer.locator("button.bk-button")
    assert slots.count() >= 1
    with page.expect_navigation():
        slots.first.click()
    text = page.inner_text("#timeline")
    assert "The calendar invite is attached" in text
    invite = page.locator("#timeline a.file.download[href$='.ics']")
    assert invite.count() == 1
    assert "BEGIN:VCALENDAR" in page.request.get(base + invite.get_attribute("href")).text()
    page.screenshot(path=shots / "4-session-planned.png")
    page.screenshot(path=ROOT / "docs" / "playground.png")

    # "Next thing due" jumps to the next planned message: the session's agenda.
    with page.expect_navigation():
        page.click(".clock-step[data-step=next]")
    assert "Tue 10 Mar 2026" in page.inner_text("#now")
    agenda = page.locator("#timeline article").last.inner_text()
    assert "Agenda for your 30-minute session" in agenda
    assert "Your session for today at 15:00" in agenda  # 14:00 UTC in Lena's Berlin time

    # The App Home tab, published by the app when it is opened.
    page.goto(f"{base}/as/{JUNIOR.user_id}?c=home")
    home = page.inner_text("#home")
    assert "has not published" not in home
    assert "Susan Whitfield" in home
    page.screenshot(path=shots / "5-home.png")
    assert len(list(shots.iterdir())) == 5
