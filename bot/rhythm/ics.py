"""Calendar invites as .ics bytes, so a pair can put their session in any calendar app."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from bot.rhythm.spans import require_aware
from bot.rhythm.text import tidy

PRODID = "-//twoway//reverse mentoring//EN"
REMINDER = timedelta(minutes=10)


def build_invite(
    *,
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    description: str,
    attendees: Sequence[tuple[str, str | None]],
    organizer_name: str = "twoway",
    sequence: int = 0,
    now: datetime,
) -> bytes:
    """One VEVENT in a PUBLISH calendar; bump `sequence` (same `uid`) when the time moves.

    PUBLISH, not REQUEST: twoway cannot receive replies, so clients should just add the event.
    People without an email get no ATTENDEE line (one needs a mailto: address) but stay named
    in the description, so the invite still says who meets.
    """
    require_aware(start=start, now=now)
    if not uid.strip():
        raise ValueError("uid must not be empty")
    if minutes <= 0:
        raise ValueError("minutes must be positive")
    start = start.astimezone(UTC)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("sequence", sequence)
    event.add("summary", tidy(summary))
    event.add("description", _description(description, attendees, organizer_name))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    for name, email in attendees:
        if email:
            event.add("attendee", _attendee(name, email), encode=False)
    event.add_component(_reminder(summary))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(event)
    return calendar.to_ical()


def _attendee(name: str, email: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    address.params["cn"] = vText(tidy(name))
    address.params["role"] = vText("REQ-PARTICIPANT")
    return address


def _description(text: str, attendees: Sequence[tuple[str, str | None]], organizer: str) -> str:
    names = ", ".join(tidy(name) for name, _ in attendees if name.strip())
    parts = [text.strip(), f"With: {names}" if names else "", f"Planned with {organizer}"]
    return "\n\n".join(part for part in parts if part)


def _reminder(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", tidy(summary) or "Reminder")
    alarm.add("trigger", -REMINDER)
    return alarm
