"""Fixtures for the emulator's own tests: a fresh workspace per test and a real client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.slack_emulator import SlackEmulator


@pytest.fixture
def emu() -> Iterator[SlackEmulator]:
    """A started emulator on its own port, stopped after the test."""
    with SlackEmulator() as emulator:
        yield emulator


@pytest.fixture
def client(emu: SlackEmulator) -> WebClient:
    """slack_sdk's own client, without retries, so each call is one request."""
    return WebClient(base_url=emu.api_url, token=emu.bot_token, retry_handlers=[])
