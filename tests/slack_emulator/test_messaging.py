"""auth, chat, conversations and users methods through a real ``slack_sdk.WebClient``."""

from __future__ import annotations

import re

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_emulator import SlackEmulator
from tests.slack_emulator.builders import section

TS = re.compile(r"^\d{10}\.\d{6}$")


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return excinfo.value.response["error"]


def test_auth_test_identifies_the_bot(emu: SlackEmulator, client: WebClient) -> None:
    response = client.auth_test()
    assert response.data == {
        "ok": True,
        "url": "https://twoway-test.slack.com/",
        "team": "Twoway Test",
        "user": "twoway",
        "team_id": "T0TWOWAY1",
        "user_id": "U0BOT00001",
        "bot_id": emu.bot_id,
        "is_enterprise_install": False,
    }
    assert re.fullmatch(r"B0[A-Z0-9]{9}", emu.bot_id)
    assert emu.calls("auth.test")[0].token == "xoxb-test-token"


def test_post_update_delete_message(emu: SlackEmulator, client: WebClient) -> None:
    channel = emu.add_channel(name="pairs", members=[emu.bot_user_id])
    posted = client.chat_postMessage(channel=channel, text="Hello", blocks=[section("Hi")])
    ts = posted["ts"]
    assert posted["channel"] == channel
    assert TS.match(ts)
    assert posted["message"]["text"] == "Hello"
    assert posted["message"]["blocks"][0]["block_id"], "Slack fills in block ids"

    updated = client.chat_update(channel=channel, ts=ts, text="Hello again")
    assert updated["ts"] == ts
    [stored] = emu.messages(channel)
    assert stored["text"] == "Hello again"
    assert stored["blocks"][0]["text"]["text"] == "Hi", "fields left out are kept"
    assert stored["edited"]["user"] == emu.bot_user_id

    link = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    assert link == f"https://twoway-test.slack.com/archives/{channel}/p{ts.replace('.', '')}"

    client.chat_delete(channel=channel, ts=ts)
    assert emu.messages(channel) == []
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=channel, ts=ts, text="gone")
    assert error_of(excinfo) == "message_not_found"


def test_timestamps_strictly_increase(emu: SlackEmulator, client: WebClient) -> None:
    channel = emu.add_channel(name="fast")
    stamps = [client.chat_postMessage(channel=channel, text=str(i))["ts"] for i in range(20)]
    assert stamps == sorted(stamps, key=lambda ts: tuple(map(int, ts.split("."))))
    assert len(set(stamps)) == 20
    assert [m["text"] for m in emu.messages()] == [str(i) for i in range(20)]


def test_post_message_channel_rules(emu: SlackEmulator, client: WebClient) -> None:
    secret = emu.add_channel(name="secret", is_private=True)
    old = emu.add_channel(name="old", members=[emu.bot_user_id])
    emu.archive_channel(old)
    cases = {"C0NOPE00000": "channel_not_found", secret: "not_in_channel", old: "is_archived"}
    for channel, error in cases.items():
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel=channel, text="hi")
        assert error_of(excinfo) == error
    general = emu.add_channel(name="general")
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json={"channel": general, "text": ""})
    assert error_of(excinfo) == "no_text"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=general, text="x" * 40001)
    assert error_of(excinfo) == "msg_too_long"
    assert all(not call.ok for call in emu.calls("chat.postMessage"))


def test_posting_to_a_user_id_lands_in_their_dm(emu: SlackEmulator, client: WebClient) -> None:
    user = emu.add_user(name="sam")
    posted = client.chat_postMessage(channel=user["id"], text="Welcome")
    opened = client.conversations_open(users=user["id"])
    assert posted["channel"] == opened["channel"]["id"]
    assert posted["channel"].startswith("D0")
    assert opened["already_open"] is True
    assert [m["text"] for m in emu.messages(posted["channel"])] == ["Welcome"]


def test_conversations_open_is_stable(emu: SlackEmulator, client: WebClient) -> None:
    alex, sam, kim = (emu.add_user(name=n)["id"] for n in ("alex", "sam", "kim"))
    dm_alex = client.conversations_open(users=alex)["channel"]["id"]
    dm_sam = client.conversations_open(users=[sam])["channel"]["id"]
    assert dm_alex != dm_sam
    assert re.fullmatch(r"D0[A-Z0-9]{9}", dm_alex)
    assert client.conversations_open(users=alex)["channel"]["id"] == dm_alex

    pair = client.conversations_open(users=[alex, sam])["channel"]["id"]
    assert re.fullmatch(r"G0[A-Z0-9]{9}", pair)
    assert client.conversations_open(users=f"{sam},{alex}")["channel"]["id"] == pair
    assert client.conversations_open(users=[alex, sam, emu.bot_user_id])["channel"]["id"] == pair
    assert client.conversations_open(users=[alex, kim])["channel"]["id"] != pair

    full = client.conversations_open(users=[alex, sam], return_im=True)["channel"]
    assert full["is_mpim"] is True
    members = client.conversations_members(channel=pair)["members"]
    assert sorted(members) == sorted([alex, sam, emu.bot_user_id])


def test_conversations_open_refuses_bad_users(emu: SlackEmulator, client: WebClient) -> None:
    gone = emu.add_user(name="gone")["id"]
    emu.deactivate_user(gone)
    many = [emu.add_user(name=f"u{i}")["id"] for i in range(9)]
    cases = {
        gone: "user_disabled",
        "U0NOBODY000": "user_not_found",
        ",".join(many): "too_many_users",
    }
    for users, error in cases.items():
        with pytest.raises(SlackApiError) as excinfo:
            client.conversations_open(users=users)
        assert error_of(excinfo) == error


def test_conversations_info(emu: SlackEmulator, client: WebClient) -> None:
    alex = emu.add_user(name="alex")["id"]
    channel = emu.add_channel(name="admins", is_private=True, members=[alex, emu.bot_user_id])
    info = client.conversations_info(channel=channel, include_num_members=True)["channel"]
    assert info["id"] == channel
    assert info["is_private"] is True
    assert info["is_member"] is True
    assert info["num_members"] == 2
    hidden = emu.add_channel(name="hidden", is_private=True, members=[alex])
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_info(channel=hidden)
    assert error_of(excinfo) == "channel_not_found"


def test_post_ephemeral_needs_membership(emu: SlackEmulator, client: WebClient) -> None:
    alex, sam = emu.add_user(name="alex")["id"], emu.add_user(name="sam")["id"]
    channel = emu.add_channel(name="general", members=[alex, emu.bot_user_id])
    response = client.chat_postEphemeral(channel=channel, user=alex, text="only you")
    assert TS.match(response["message_ts"])
    assert emu.messages(channel) == [], "ephemeral messages are not stored in the channel"
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postEphemeral(channel=channel, user=sam, text="not you")
    assert error_of(excinfo) == "user_not_in_channel"


def test_users_info(emu: SlackEmulator, client: WebClient) -> None:
    user = emu.add_user("U0ALEX00001", name="alex", tz="Asia/Tokyo", is_admin=True)
    fetched = client.users_info(user="U0ALEX00001")["user"]
    assert fetched == user
    assert fetched["tz_offset"] == 9 * 3600
    assert fetched["is_admin"] is True
    emu.deactivate_user("U0ALEX00001")
    assert client.users_info(user="U0ALEX00001")["user"]["deleted"] is True
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U0NOBODY000")
    assert error_of(excinfo) == "user_not_found"


def test_users_list_paginates(emu: SlackEmulator, client: WebClient) -> None:
    added = {emu.add_user(name=f"user{i}")["id"] for i in range(6)}
    pages = [page["members"] for page in client.users_list(limit=3)]
    ids = [member["id"] for page in pages for member in page]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert len(ids) == len(set(ids)) == 8
    assert set(ids) == added | {"USLACKBOT", emu.bot_user_id}
    with pytest.raises(SlackApiError) as excinfo:
        client.users_list(cursor="bm90LWEtY3Vyc29y")
    assert error_of(excinfo) == "invalid_cursor"


def test_team_info(client: WebClient) -> None:
    team = client.team_info()["team"]
    assert (team["id"], team["name"], team["domain"]) == ("T0TWOWAY1", "Twoway Test", "twoway-test")


def test_json_and_form_bodies_are_recorded_alike(emu: SlackEmulator, client: WebClient) -> None:
    channel = emu.add_channel(name="general")
    client.chat_postMessage(channel=channel, text="json", blocks=[section("a")])
    httpx.post(
        emu.api_url + "chat.postMessage",
        data={"channel": channel, "text": "form", "blocks": '[{"type": "divider"}]'},
        headers={"Authorization": f"Bearer {emu.bot_token}"},
    )
    as_json, as_form = emu.calls("chat.postMessage")
    assert as_json.args["blocks"] == [section("a")]
    assert as_form.args["blocks"] == '[{"type": "divider"}]'
    assert as_form.json("blocks") == [{"type": "divider"}]
    assert as_json.json("blocks") == [section("a")]
    assert as_form.ok
    assert [m["text"] for m in emu.messages(channel)] == ["json", "form"]


def test_authentication_errors(emu: SlackEmulator) -> None:
    url = emu.api_url + "auth.test"
    assert httpx.post(url).json() == {"ok": False, "error": "not_authed"}
    assert httpx.post(url, data={"token": "xoxb-wrong"}).json()["error"] == "invalid_auth"
    assert httpx.post(url, data={"token": emu.bot_token}).json()["ok"] is True
    assert httpx.get(url, params={"token": emu.bot_token}).json()["ok"] is True
    assert [c.token for c in emu.calls()] == [None, "xoxb-wrong", emu.bot_token, emu.bot_token]
    assert all("token" not in c.args for c in emu.calls())


def test_unknown_method(emu: SlackEmulator, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("reminders.teleport", params={"text": "now"})
    assert excinfo.value.response.status_code == 200
    assert error_of(excinfo) == "unknown_method"
    assert emu.calls()[0].method == "reminders.teleport"
