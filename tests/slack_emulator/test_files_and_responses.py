"""files_upload_v2 end to end, response URLs, and the server's lifecycle."""

from __future__ import annotations

import threading

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_emulator import SlackEmulator


def test_files_upload_v2_end_to_end(emu: SlackEmulator, client: WebClient) -> None:
    channel = emu.add_channel(name="coordinators", is_private=True, members=[emu.bot_user_id])
    response = client.files_upload_v2(
        channel=channel,
        content="pair,sessions\nA,3\n",
        filename="impact.csv",
        title="Impact report",
        initial_comment="Here is this month's report",
    )
    assert [c.method for c in emu.calls()] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    file = response["file"]
    assert file["id"].startswith("F0")
    assert (file["name"], file["title"], file["size"]) == ("impact.csv", "Impact report", 18)
    [uploaded] = emu.uploaded_files()
    assert uploaded["content"] == b"pair,sessions\nA,3\n"
    assert uploaded["channels"] == [channel]
    assert uploaded["initial_comment"] == "Here is this month's report"
    [message] = emu.messages(channel)
    assert message["text"] == "Here is this month's report"
    assert message["files"][0]["id"] == file["id"]


def test_complete_upload_checks_channel_and_file(emu: SlackEmulator, client: WebClient) -> None:
    hidden = emu.add_channel(name="hidden", is_private=True)
    with pytest.raises(SlackApiError) as excinfo:
        client.files_upload_v2(channel=hidden, content="x", filename="x.txt")
    assert excinfo.value.response["error"] == "not_in_channel"
    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": "F0NEVERSENT", "title": "x"}])
    assert excinfo.value.response["error"] == "file_not_found"
    assert emu.uploaded_files() == []


def test_upload_url_rejects_unknown_tokens(emu: SlackEmulator) -> None:
    response = httpx.post(f"{emu.base_url}/upload/v1/not-issued", content=b"data")
    assert response.status_code == 404


def test_response_url_records_posts(emu: SlackEmulator) -> None:
    url = emu.response_url("goal-button")
    other = emu.response_url()
    assert url.startswith(f"{emu.base_url}/response/")
    assert url != other
    reply = httpx.post(url, json={"text": "Saved!", "replace_original": True})
    assert reply.status_code == 200
    assert reply.json() == {"ok": True}
    httpx.post(other, json={"delete_original": True})
    assert emu.responses() == [
        {"text": "Saved!", "replace_original": True, "url": url},
        {"delete_original": True, "url": other},
    ]
    assert emu.responses("goal-button") == [
        {"text": "Saved!", "replace_original": True, "url": url}
    ]
    assert httpx.post(f"{emu.base_url}/response/forged", json={}).status_code == 404
    assert httpx.post(url, content=b"not json").status_code == 400
    assert len(emu.responses()) == 2
    assert emu.calls() == [], "response URLs are not Web API calls"


def test_concurrent_calls_are_all_recorded(emu: SlackEmulator) -> None:
    channel = emu.add_channel(name="busy")

    def post(n: int) -> None:
        client = WebClient(base_url=emu.api_url, token=emu.bot_token)
        for i in range(5):
            client.chat_postMessage(channel=channel, text=f"{n}-{i}")

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(emu.wait_for("chat.postMessage", count=40)) == 40
    stamps = [m["ts"] for m in emu.messages(channel)]
    assert len(set(stamps)) == 40


def test_start_stop_and_separate_ports() -> None:
    first, second = SlackEmulator().start(), SlackEmulator().start()
    try:
        assert first.base_url != second.base_url
        assert first.api_url == f"{first.base_url}/api/"
        assert first.base_url.startswith("http://127.0.0.1:")
    finally:
        first.stop()
        second.stop()
    with pytest.raises(RuntimeError):
        _ = first.api_url
    with pytest.raises(httpx.ConnectError):
        httpx.post(second.workspace.base_url + "/api/auth.test")
