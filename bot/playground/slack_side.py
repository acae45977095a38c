"""Slack's side of the conversation with the app: signed requests, as Slack sends them.

The playground speaks to the real app over HTTP at `/slack/events` with a signature, a
`response_url` issued by the emulator and a trigger id it remembers, so a modal the app
opens with that trigger id is known to belong to the person who clicked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.slack_emulator import SlackEmulator
from bot.slack_emulator.browse import im_id

APP_ID = "A0TWOWAY01"


class SlackSide:
    """Sends commands, interactions and events into the app as one workspace's Slack."""

    def __init__(self, app_url: str, signing_secret: str, emulator: SlackEmulator) -> None:
        self.http = httpx.Client(base_url=app_url, timeout=30)
        self._secret = signing_secret.encode()
        self.emulator = emulator
        self._lock = threading.Lock()
        self._triggers: dict[str, str] = {}

    def close(self) -> None:
        self.http.close()

    @property
    def team_id(self) -> str:
        return self.emulator.team_id

    def trigger(self, user_id: str) -> str:
        """A fresh trigger id, remembered as this person's."""
        trigger_id = f"{uuid.uuid4().int % 10**12}.{self.team_id}.{uuid.uuid4().hex}"
        with self._lock:
            self._triggers[trigger_id] = user_id
        return trigger_id

    def response_url(self, user_id: str, channel_id: str, source: str = "") -> str:
        """A response URL whose posts are shown to this person in this conversation only."""
        return self.emulator.response_url(f"{user_id}|{channel_id}|{source}")

    def _post(self, body: str, content_type: str) -> httpx.Response:
        timestamp = str(int(time.time()))
        digest = hmac.new(self._secret, f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": "v0=" + digest.hexdigest(),
        }
        return self.http.post("/slack/events", content=body.encode(), headers=headers)

    def _user(self, user_id: str) -> dict[str, Any]:
        name = self.emulator.workspace.users.get(user_id, {}).get("name", user_id.lower())
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def command(
        self, *, user_id: str, channel_id: str, text: str, command: str = "/mentor"
    ) -> tuple[httpx.Response, str]:
        """A slash command typed in `channel_id`; returns the answer and its trigger id."""
        trigger_id = self.trigger(user_id)
        channel = self.emulator.workspace.conversations.get(channel_id, {})
        form = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": self.emulator.workspace.domain,
            "channel_id": channel_id,
            "channel_name": channel.get("name", "directmessage"),
            "user_id": user_id,
            "user_name": self._user(user_id)["name"],
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.response_url(user_id, channel_id),
            "trigger_id": trigger_id,
        }
        return self._post(urlencode(form), "application/x-www-form-urlencoded"), trigger_id

    def _interaction(self, payload: dict[str, Any]) -> httpx.Response:
        return self._post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def block_action(
        self,
        *,
        user_id: str,
        action: dict[str, Any],
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
        ephemeral_source: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> tuple[httpx.Response, str]:
        """A button, select, overflow or date pick in a message, a modal or the Home tab."""
        trigger_id = self.trigger(user_id)
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": self.emulator.workspace.domain},
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": trigger_id,
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
            "is_enterprise_install": False,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        else:
            assert channel_id is not None
            ts = (message or {}).get("ts") or f"{time.time():.6f}"
            payload["container"] = {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel_id,
                "is_ephemeral": ephemeral_source is not None,
            }
            payload["channel"] = {"id": channel_id, "name": channel_id}
            if message is not None:
                payload["message"] = message
            payload["response_url"] = self.response_url(
                user_id, channel_id, ephemeral_source or f"ts:{ts}"
            )
        return self._interaction(payload), trigger_id

    def view_submission(
        self, *, user_id: str, view: dict[str, Any], values: dict[str, Any]
    ) -> dict[str, Any]:
        """Submit a modal; returns the app's answer (`response_action` and its fields), `{}`
        when it simply closed."""
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.emulator.workspace.domain},
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": self.trigger(user_id),
            "view": {**view, "state": {"values": values}},
            "response_urls": [],
            "is_enterprise_install": False,
        }
        response = self._interaction(payload)
        if response.status_code != 200:
            return {"response_action": "failed", "status": response.status_code}
        if not response.content.strip():
            return {}
        try:
            answer = response.json()
        except ValueError:
            return {}
        return answer if isinstance(answer, dict) else {}

    def home_opened(self, user_id: str) -> httpx.Response:
        """The `app_home_opened` event Slack sends when someone opens the app's Home tab."""
        envelope = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": im_id(self.emulator.workspace, user_id),
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": self.team_id, "user_id": self.emulator.bot_user_id, "is_bot": True}
            ],
        }
        return self._post(json.dumps(envelope), "application/json")
