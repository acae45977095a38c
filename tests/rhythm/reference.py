"""Slow, obvious reference checks: minute by minute in each person's local time."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.rhythm import Availability


def at_work(person: Availability, moment: datetime) -> bool:
    local = moment.astimezone(person.zone)
    return local.weekday() < 5 and person.work_start <= local.time() < person.work_end


def outside_minutes(person: Availability, start: datetime, minutes: int) -> int:
    return sum(not at_work(person, start + timedelta(minutes=m)) for m in range(minutes))


def inside(person: Availability, start: datetime, minutes: int) -> bool:
    return outside_minutes(person, start, minutes) == 0


def weekday_for_everyone(people: list[Availability], start: datetime, minutes: int) -> bool:
    moments = (start, start + timedelta(minutes=minutes) - timedelta(microseconds=1))
    return all(m.astimezone(p.zone).weekday() < 5 for p in people for m in moments)
