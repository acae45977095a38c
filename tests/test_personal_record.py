"""`/mentor record`: the person's own record as a DM message and a Markdown file, with
only the learnings they ticked; nobody else can build it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.slack_emulator import SlackEmulator
from bot.views.personal_record import RecordIds
from models import Learning
from tests.support.app_server import AppServer
from tests.support.checkin_flows import dm_of, posts_to
from tests.support.data_rights_seed import JO, JO_MARK, SAM, seed
from tests.support.interactions import picked_date, submit_view
from tests.support.slack_requests import SlackRequests


def _open(slack: SlackRequests, emulator: SlackEmulator, text: str, user: str) -> dict[str, Any]:
    before = len(emulator.calls("views.open"))
    assert slack.command(text, user=user).status_code == 200
    call = emulator.wait_for("views.open", before + 1)[before]
    assert call.ok, call.response
    return dict(call.response["view"])


def _ticked(view: dict[str, Any], wanted: set[int]) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("block_id", "").startswith(RecordIds.LEARNINGS.value + "-"):
            options = [o for o in block["element"]["options"] if int(o["value"]) in wanted]
            values[block["block_id"]] = {
                RecordIds.LEARNINGS.value: {"type": "checkboxes", "selected_options": options}
            }
    return values


def test_record_holds_only_the_ticked_learnings_and_only_its_owner_can_build_it(
    slack: SlackRequests, emulator: SlackEmulator, app_server: AppServer
) -> None:
    runtime = app_server.runtime
    seeded = seed(runtime, emulator)
    with runtime.unit_of_work() as session:  # enough learnings for two checkbox groups
        session.add_all(
            Learning(participant_id=seeded.jo, text=f"Small thing {n} {JO_MARK}") for n in range(9)
        )
    view = _open(slack, emulator, "record autumn cohort", JO)
    groups = [b for b in view["blocks"] if b.get("block_id", "").startswith("record-learnings-")]
    assert [len(g["element"]["options"]) for g in groups] == [10, 1]
    assert all(g["element"]["type"] == "checkboxes" and g["optional"] for g in groups)

    kept, _left_out = seeded.jo_learnings
    start = (seeded.started - timedelta(days=1)).date().isoformat()
    end = datetime.now(UTC).date().isoformat()
    values = {
        RecordIds.START.value: picked_date(RecordIds.START.value, start),
        RecordIds.END.value: picked_date(RecordIds.END.value, end),
        **_ticked(view, {kept}),
    }
    # someone else submitting Jo's form (a forged view) builds nothing
    forged = submit_view(slack, user=SAM, view=view, view_id="V0FORGED01", values=values)
    assert "Only the person" in json.dumps(forged.json())
    # a period that ends before it starts is refused on its field
    backwards = {**values, RecordIds.END.value: picked_date(RecordIds.END.value, "2020-01-01")}
    refused = submit_view(slack, user=JO, view=view, view_id="V0BACK0001", values=backwards)
    assert refused.json()["response_action"] == "errors"
    assert RecordIds.END.value in refused.json()["errors"]
    app_server.wait_idle()
    assert emulator.uploaded_files() == []

    done = submit_view(slack, user=JO, view=view, view_id="V0RECORD01", values=values)
    assert done.status_code == 200
    assert done.text == ""
    submit_view(slack, user=JO, view=view, view_id="V0RECORD01", values=values)  # twice: once
    app_server.wait_idle()

    (message,) = [c for c in posts_to(emulator, JO) if "mentoring record" in c.args["text"]]
    (upload,) = emulator.uploaded_files()
    assert dm_of(emulator, JO) in json.dumps(upload.get("channels") or upload.get("ims"))
    content = upload["content"].decode()
    shown = json.dumps(message.json("blocks"))
    for text in (content, shown):
        assert "Pivot tables save hours" in text
        assert "My manager worries" not in text
        assert "Small thing" not in text
        assert "Present to the board" in text
        assert "One deck presented" in text
        assert "Rebuild the sales sheet" in text
        assert "Sick child" not in text  # skip reasons and feedback are never in a record
        assert "Very patient" not in text
    assert "Sessions held: 2" in content
    assert "Minutes together: 90" in content
    assert "2 sessions held, 90 minutes" in shown
    assert [c for c in posts_to(emulator, SAM) if "record" in c.args["text"]] == []
