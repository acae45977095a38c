"""The App Home tab: composed of sections, published on opening and after changes.

A section is a function of a session and the viewer that returns blocks (empty when it
has nothing for this person). The participant's dashboard is one; other features add
theirs to `SECTIONS`. The same composition serves `app_home_opened` (an answer to the
person, published at once) and the outbox's `home_publish` rows (republished at the
next tick after something the Home shows changed; see `bot.services.home_refresh`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.flows.caller import Caller
from bot.flows.home_coordinator import coordinator_section
from bot.rhythm import build_agenda
from bot.runtime import Runtime
from bot.services.home_dashboard import Viewer, dashboard, viewer_of
from bot.services.home_refresh import note_home_opened
from bot.views.home import Blocks, build_home, participant_blocks

HomeSection = Callable[[Session, Viewer], Blocks]


def participant_section(session: Session, viewer: Viewer) -> Blocks:
    """Pairs, goals, sessions, action items, learnings, survey and the common buttons."""
    board = dashboard(session, viewer=viewer)
    agendas = {
        panel.pair.id: build_agenda(panel.agenda_input)
        for panel in board.panels
        if panel.agenda_input is not None
    }
    return participant_blocks(
        board,
        agendas,
        user_id=viewer.user_id,
        now=viewer.now,
        is_coordinator=viewer.is_coordinator,
    )


SECTIONS: tuple[HomeSection, ...] = (participant_section, coordinator_section)


def home_view(session: Session, viewer: Viewer) -> dict[str, Any]:
    """The whole Home for one viewer, every section in order."""
    return build_home(
        user_id=viewer.user_id, sections=[section(session, viewer) for section in SECTIONS]
    )


def render_home_of(
    session: Session,
    *,
    workspace_id: int,
    user_id: str,
    now: datetime,
    bootstrap_coordinators: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The Home as the database shows it now (for the outbox, outside any request);
    `bootstrap_coordinators` are the TWOWAY_COORDINATORS, which the database doesn't hold."""
    viewer = viewer_of(
        session,
        workspace_id=workspace_id,
        user_id=user_id,
        now=now,
        coordinator_hint=user_id in bootstrap_coordinators,
    )
    return home_view(session, viewer)


def show_home(runtime: Runtime, caller: Caller) -> None:
    """Note that the caller looks at their Home (changes republish it from now on), read
    where they stand, then publish (an answer to them, so not the outbox).

    "Open to join" uses the caller's own date: enrolment deadlines are local days.
    """
    with runtime.unit_of_work() as session:
        note_home_opened(
            session,
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            now=caller.now,
            is_coordinator=caller.is_coordinator,
        )
        viewer = Viewer(
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            timezone=caller.timezone,
            now=caller.now,
            is_coordinator=caller.is_coordinator,
        )
        view = home_view(session, viewer)
    runtime.gateway.publish_home(user_id=caller.user_id, view=view)
