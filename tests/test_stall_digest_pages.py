"""A tick with more stalled pairs than one message can hold: pages of 40, each well within
Block Kit's 50 blocks, every pair on exactly one page with its own button."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services.pairs import PairDetails, PairPerson
from bot.services.stalls import ALERT, DIGEST, DIGEST_PAGE, digest_rows
from bot.views.stalls import DigestEntry, StallDigestIds, build_stall_digest
from models.enums import Role

NOW = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)


def _pair(pair_id: int) -> PairDetails:
    people = tuple(
        PairPerson(
            participant_id=pair_id * 2 + n,
            user_id=f"U0P{pair_id:05d}{n}",
            name="Someone",
            role=role,
            department="IT",
            can_share=(),
            wants_to_learn=(),
            timezone="UTC",
        )
        for n, role in enumerate((Role.JUNIOR, Role.SENIOR))
    )
    return PairDetails(
        id=pair_id,
        program_id=1,
        program_name="Big",
        round=1,
        status="active",  # type: ignore[arg-type]
        people=people,
        reasons=(),
        started_at=NOW,
        ended_at=None,
        dm_channel_id="G0PAIR",
        next_rotation_on=None,
        session_minutes=30,
    )


def test_a_hundred_stalls_in_one_tick_make_three_pages_within_block_kit() -> None:
    alerts = [
        {
            "workspace_id": 1,
            "pair_id": pair_id,
            "kind": ALERT,
            "period": "since-p0000",
            "payload": {"missed": 3},
        }
        for pair_id in range(1, 101)
    ]
    rows = digest_rows(alerts, NOW)
    assert [r["kind"] for r in rows] == [DIGEST] * 3
    assert len({r["unique_key"] for r in rows}) == 3
    seen: list[int] = []
    for row in rows:
        payload = row["payload"]
        assert isinstance(payload, dict)
        assert payload["pages"] == 3
        assert payload["total"] == 100
        assert len(payload["stalls"]) <= DIGEST_PAGE
        entries = [DigestEntry(_pair(p), m, None, {}) for p, m, _ in payload["stalls"]]
        message = build_stall_digest(entries, page=payload["page"], pages=3, total=100)
        assert len(message["blocks"]) <= 50
        assert f"part {payload['page']} of 3" in message["text"]
        buttons = [
            int(b["accessory"]["value"])
            for b in message["blocks"]
            if b.get("accessory", {}).get("action_id") == StallDigestIds.REMIND
        ]
        assert buttons == [p for p, _, _ in payload["stalls"]]
        seen += buttons
    assert seen == list(range(1, 101))
