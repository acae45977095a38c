"""Each audience of the announce modal resolves to the right recipients: pairs once, people
waiting for a match, pairs that have not met this period, seniors or juniors only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.announcement_audiences import recipients_of
from bot.services.sessions import record_held
from bot.slack_emulator import SlackEmulator
from models.announcement import Announcement, Audience
from models.enums import Cadence, Role
from tests.support.app_server import AppServer
from tests.support.factories import active_pair, enrol, make_program

NOW = datetime(2030, 3, 13, 12, 0, tzinfo=UTC)  # a Wednesday


def test_audiences_resolve_to_their_recipients(
    app_server: AppServer, emulator: SlackEmulator
) -> None:
    runtime = app_server.runtime
    program_id = make_program(runtime, name="Audiences", cadence=Cadence.WEEKLY)
    met, _ = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=("U0JAUD0001", "Europe/Berlin", 9, 17),
        senior=("U0SAUD0001", "Europe/Berlin", 9, 17),
        started_at=NOW - timedelta(days=14),
    )
    idle, _ = active_pair(
        runtime,
        emulator,
        program_id=program_id,
        junior=("U0JAUD0002", "Europe/Berlin", 9, 17),
        senior=("U0SAUD0002", "Europe/Berlin", 9, 17),
        started_at=NOW - timedelta(days=14),
    )
    enrol(
        runtime,
        emulator,
        program_id=program_id,
        user_id="U0JAUD0003",
        role=Role.JUNIOR,
        department="IT",
        can_share=["AI tools"],
        wants_to_learn=["Strategy"],
    )
    with runtime.unit_of_work() as session:
        record_held(
            session, pair_id=met, held_at=NOW - timedelta(hours=2), minutes=30, source="test"
        )
        record_held(
            session, pair_id=idle, held_at=NOW - timedelta(days=8), minutes=30, source="test"
        )

    def resolve(audience: Audience, targets: list[str] | None = None) -> list[str]:
        with runtime.unit_of_work() as session:
            announcement = Announcement(
                program_id=program_id, audience=audience, targets=targets or []
            )
            return [r.key for r in recipients_of(session, announcement, NOW)]

    juniors = ["user:U0JAUD0001", "user:U0JAUD0002", "user:U0JAUD0003"]
    assert resolve(Audience.JUNIORS) == juniors
    assert resolve(Audience.SENIORS) == ["user:U0SAUD0001", "user:U0SAUD0002"]
    assert len(resolve(Audience.EVERYONE)) == 5
    assert resolve(Audience.PAIRS) == [f"pair:{met}", f"pair:{idle}"]
    assert resolve(Audience.NOT_MET) == [f"pair:{idle}"]  # met last week, not this one
    assert resolve(Audience.WAITING) == ["user:U0JAUD0003"]
    assert resolve(Audience.PICKED, ["U0SAUD0002", "U0SAUD0002"]) == ["user:U0SAUD0002"]
    assert resolve(Audience.CHANNEL, ["C0GENERAL1"]) == ["channel:C0GENERAL1"]
