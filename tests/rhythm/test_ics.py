"""Invites parse back with icalendar and carry the event, the people and the reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.rhythm import build_invite

NOW = datetime(2026, 3, 1, 8, 15, tzinfo=UTC)


def invite(**overrides: object) -> Calendar:
    arguments: dict[object, object] = {
        "uid": "session-42@twoway",
        "start": datetime(2026, 3, 10, 15, 30, tzinfo=ZoneInfo("Europe/Berlin")),
        "minutes": 30,
        "summary": "Ana × Ben: reverse mentoring",
        "description": "1. Ana teaches: prompts\n2. Ben: budgets, roadmaps; hiring",
        "attendees": [("Ana Lopez", "ana@example.com"), ("Ben Okafor", None)],
        "now": NOW,
    } | overrides
    return Calendar.from_ical(build_invite(**arguments))  # type: ignore[arg-type]


def test_calendar_header() -> None:
    calendar = invite()

    assert str(calendar["PRODID"]) == "-//twoway//reverse mentoring//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == 1


def test_event_times_are_utc() -> None:
    event = invite().walk("VEVENT")[0]

    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == NOW
    assert event["DTSTART"].to_ical() == b"20260310T143000Z"


def test_event_text_and_sequence() -> None:
    event = invite(sequence=2).walk("VEVENT")[0]

    assert str(event["UID"]) == "session-42@twoway"
    assert str(event["SUMMARY"]) == "Ana × Ben: reverse mentoring"
    assert int(event["SEQUENCE"]) == 2
    description = str(event["DESCRIPTION"])
    assert "2. Ben: budgets, roadmaps; hiring" in description
    assert "Ben Okafor" in description  # no email: named in the description only


def test_attendees_with_email_only() -> None:
    event = invite().walk("VEVENT")[0]

    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:ana@example.com"]
    assert attendees[0].params["CN"] == "Ana Lopez"


def test_two_attendees_with_email() -> None:
    event = invite(attendees=[("Ana", "ana@example.com"), ("Ben", "ben@example.com")]).walk(
        "VEVENT"
    )[0]

    assert sorted(str(a) for a in event["ATTENDEE"]) == [
        "mailto:ana@example.com",
        "mailto:ben@example.com",
    ]
    assert sorted(a.params["CN"] for a in event["ATTENDEE"]) == ["Ana", "Ben"]


def test_ten_minute_display_alarm() -> None:
    event = invite().walk("VEVENT")[0]

    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(minutes=-10)


def test_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        invite(start=datetime(2026, 3, 10, 14, 30))
