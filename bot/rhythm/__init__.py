"""A pair's rhythm: cadence periods, meeting times, agendas and invites. Pure: no I/O, no clock."""

from bot.rhythm.agenda import Agenda, AgendaInput, AgendaItem, build_agenda
from bot.rhythm.cadence import Period, period_of, periods_between
from bot.rhythm.ics import build_invite
from bot.rhythm.people import Availability
from bot.rhythm.slots import Slot, common_slots, fairest_slot, nudge_time, propose_slots

__all__ = [
    "Agenda",
    "AgendaInput",
    "AgendaItem",
    "Availability",
    "Period",
    "Slot",
    "build_agenda",
    "build_invite",
    "common_slots",
    "fairest_slot",
    "nudge_time",
    "period_of",
    "periods_between",
    "propose_slots",
]
