"""Block Kit rejected like Slack rejects it, and the views.* lifecycle."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_emulator import SlackEmulator
from tests.slack_emulator.builders import modal, plain, section


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([section("x")] * 51, "must be less than 51 items [json-pointer:/blocks]"),
        (
            [section("x" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [section("a", block_id="dup"), section("b", block_id="dup")],
            "duplicate block_id: dup [json-pointer:/blocks/1/block_id]",
        ),
        ([{"type": "bogus"}], "unknown block type: 'bogus' [json-pointer:/blocks/0/type]"),
    ],
)
def test_invalid_blocks_are_rejected(
    emu: SlackEmulator, client: WebClient, blocks: list[dict[str, Any]], expected: str
) -> None:
    channel = emu.add_channel(name="general")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=channel, text="fallback", blocks=blocks)
    response = excinfo.value.response
    assert response["error"] == "invalid_blocks"
    assert response["errors"] == [expected]
    assert response["response_metadata"]["messages"] == [f"[ERROR] {expected}"]
    assert emu.messages(channel) == []
    assert emu.calls("chat.postMessage")[0].http_status == 200


def test_malformed_blocks_json(emu: SlackEmulator, client: WebClient) -> None:
    channel = emu.add_channel(name="general")
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", params={"channel": channel, "blocks": "[{"})
    assert excinfo.value.response["error"] == "invalid_blocks_format"


def test_home_with_101_blocks_is_rejected(emu: SlackEmulator, client: WebClient) -> None:
    alex = emu.add_user(name="alex")["id"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id=alex, view={"type": "home", "blocks": [section("x")] * 101})
    response = excinfo.value.response
    assert response["error"] == "invalid_arguments"
    assert response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 101 items [json-pointer:/view/blocks]"
    ]
    assert emu.published_home(alex) is None


def test_publish_home_keeps_one_view_per_user(emu: SlackEmulator, client: WebClient) -> None:
    alex = emu.add_user(name="alex")["id"]
    first = client.views_publish(user_id=alex, view={"type": "home", "blocks": [section("v1")]})
    second = client.views_publish(
        user_id=alex,
        view={"type": "home", "blocks": [section("v2")]},
        hash=first["view"]["hash"],
    )
    assert second["view"]["id"] == first["view"]["id"]
    assert second["view"]["id"].startswith("V0")
    home = emu.published_home(alex)
    assert home is not None
    assert home["blocks"][0]["text"]["text"] == "v2"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(
            user_id=alex, view={"type": "home", "blocks": [section("v3")]}, hash="stale"
        )
    assert excinfo.value.response["error"] == "hash_conflict"
    assert emu.open_views() == {}, "a Home tab is not a modal"


def test_modal_lifecycle(emu: SlackEmulator, client: WebClient) -> None:
    opened = client.views_open(trigger_id="123.456.abc", view=modal(external_id="goal-1"))
    view = opened["view"]
    assert view["id"].startswith("V0")
    assert view["state"] == {"values": {}}
    assert opened["response_metadata"] == {"messages": [], "warnings": []}
    assert list(emu.open_views()) == [view["id"]]

    updated = client.views_update(external_id="goal-1", view=modal(title=plain("Goal saved")))
    assert updated["view"]["id"] == view["id"]
    assert updated["view"]["hash"] != view["hash"]
    assert emu.open_views()[view["id"]]["title"]["text"] == "Goal saved"

    pushed = client.views_push(trigger_id="789.012.def", view=modal(title=plain("Step 2")))
    assert set(emu.open_views()) == {view["id"], pushed["view"]["id"]}

    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id="V0NOTHERE00", view=modal())
    assert excinfo.value.response["error"] == "not_found"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=view["id"], view=modal(), hash="stale")
    assert excinfo.value.response["error"] == "hash_conflict"


@pytest.mark.parametrize(
    ("trigger_id", "view", "message"),
    [
        ("", modal(), "[ERROR] missing required field: trigger_id"),
        ("1.2.a", modal(title=plain("x" * 25)), "must be less than 25 characters"),
        ("1.2.a", modal(submit=plain("x" * 25)), "[json-pointer:/view/submit/text]"),
        ("1.2.a", modal(private_metadata="m" * 3001), "[json-pointer:/view/private_metadata]"),
        ("1.2.a", modal(callback_id="c" * 256), "[json-pointer:/view/callback_id]"),
        ("1.2.a", {"type": "home", "blocks": [section("x")]}, "[json-pointer:/view/type]"),
        (
            "1.2.a",
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": plain("Goal"),
                        "element": {"type": "plain_text_input", "action_id": "goal"},
                    }
                ]
            ),
            "must provide submit",
        ),
    ],
)
def test_modal_validation(
    emu: SlackEmulator, client: WebClient, trigger_id: str, view: dict[str, Any], message: str
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger_id, view=view)
    response = excinfo.value.response
    assert response["error"] == "invalid_arguments"
    assert any(message in m for m in response["response_metadata"]["messages"])
    assert emu.open_views() == {}


def test_duplicate_external_id(client: WebClient) -> None:
    client.views_open(trigger_id="1.2.a", view=modal(external_id="same"))
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.b", view=modal(external_id="same"))
    assert excinfo.value.response["error"] == "duplicate_external_id"
