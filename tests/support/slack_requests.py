"""Requests built and signed the way Slack builds them, sent with httpx to `/slack/events`."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

TEAM_ID = "T0TWOWAY1"


def sign(secret: str, body: str, timestamp: int) -> str:
    return SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)


class SlackRequests:
    """A stand-in for Slack's side of the HTTP conversation with the app."""

    def __init__(self, base_url: str, signing_secret: str, response_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        self.signing_secret = signing_secret
        self.response_url = response_url

    def close(self) -> None:
        self.http.close()

    def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(self.signing_secret, body, ts),
            **(headers or {}),
        }
        return self.http.post("/slack/events", content=body, headers=all_headers)

    def command(
        self,
        text: str = "",
        *,
        user: str = "U0JUNIOR01",
        channel: str = "C0GENERAL1",
        command: str = "/mentor",
        trigger_id: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "twoway-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TWOWAY01",
            "is_enterprise_install": "false",
            "response_url": self.response_url,
            "trigger_id": trigger_id or f"{uuid.uuid4().int % 10**12}.{TEAM_ID}.{uuid.uuid4().hex}",
        }
        return self.post(
            urlencode(form), content_type="application/x-www-form-urlencoded", **kwargs
        )

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> httpx.Response:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0TWOWAY01",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U0BOT00001", "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope), content_type="application/json", headers=headers)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, content_type="application/x-www-form-urlencoded")
