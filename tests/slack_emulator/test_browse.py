"""The emulator's read-only accessors for someone browsing the workspace (the playground)."""

from __future__ import annotations

import httpx
from slack_sdk import WebClient

from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.browse import (
    conversations_of,
    file_bytes,
    im_id,
    modals_from_trigger,
    responses_labelled,
)

MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Hello"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
}


def test_a_member_sees_public_channels_and_only_the_private_ones_they_are_in() -> None:
    with SlackEmulator() as emu:
        emu.add_user("U0AAAAAAA1", name="ann")
        emu.add_user("U0BBBBBBB1", name="bob")
        emu.add_channel("C0PUBLIC01", name="general", members=["U0AAAAAAA1"])
        emu.add_channel("C0SECRET01", name="admin", is_private=True, members=["U0BBBBBBB1"])
        client = WebClient(base_url=emu.api_url, token=emu.bot_token)
        group = client.conversations_open(users="U0AAAAAAA1,U0BBBBBBB1")["channel"]["id"]
        dm = client.conversations_open(users="U0AAAAAAA1")["channel"]["id"]
        seen = {c["id"]: c["kind"] for c in conversations_of(emu.workspace, "U0AAAAAAA1")}
        assert seen == {"C0PUBLIC01": "public", group: "mpim"}
        assert dm == im_id(emu.workspace, "U0AAAAAAA1")
        assert "C0SECRET01" in {c["id"] for c in conversations_of(emu.workspace, "U0BBBBBBB1")}


def test_modals_are_found_by_trigger_and_answers_by_label_and_files_by_id() -> None:
    with SlackEmulator() as emu:
        emu.add_user("U0AAAAAAA1", name="ann")
        client = WebClient(base_url=emu.api_url, token=emu.bot_token)
        opened = client.views_open(trigger_id="trigger-1", view=MODAL)["view"]["id"]
        pushed = client.views_push(trigger_id="trigger-2", view=MODAL)["view"]["id"]
        assert modals_from_trigger(emu.workspace, "trigger-1") == [("views.open", opened)]
        assert modals_from_trigger(emu.workspace, "trigger-2") == [("views.push", pushed)]
        assert modals_from_trigger(emu.workspace, "other") == []

        mine = emu.response_url("U0AAAAAAA1|C0PUBLIC01|")
        theirs = emu.response_url("U0BBBBBBB1|C0PUBLIC01|")
        httpx.post(mine, json={"text": "for ann"}).raise_for_status()
        httpx.post(theirs, json={"text": "for bob"}).raise_for_status()
        answers = responses_labelled(emu.workspace, "U0AAAAAAA1|C0PUBLIC01|")
        assert [a["text"] for a in answers] == ["for ann"]
        assert answers[0]["url"] == mine

        upload = client.files_upload_v2(
            channel=client.conversations_open(users="U0AAAAAAA1")["channel"]["id"],
            content="a,b\n1,2\n",
            filename="pairs.csv",
        )
        file_id = upload["file"]["id"]
        assert file_bytes(emu.workspace, file_id) == ("pairs.csv", b"a,b\n1,2\n")
        assert file_bytes(emu.workspace, "F0NOPE") is None
