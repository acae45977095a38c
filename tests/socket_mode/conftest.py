"""Fixtures: the app in Socket Mode (SLACK_APP_TOKEN set, no signing secret) on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.slack_emulator import SlackEmulator
from tests.support.socket_app import SocketApp, SocketSlack


@pytest.fixture
def socket_settings(settings: Settings, emulator: SlackEmulator) -> Settings:
    """The HTTP test settings with the app-level token, as a Socket Mode install has them."""
    chosen = settings.model_copy(
        update={"slack_app_token": emulator.app_token, "slack_signing_secret": None}
    )
    assert chosen.socket_mode
    assert chosen.missing_slack_settings() == []
    return chosen


@pytest.fixture
def socket_app(socket_settings: Settings, emulator: SlackEmulator) -> Iterator[SocketApp]:
    app = SocketApp(socket_settings, emulator.socket_mode).start()
    yield app
    app.stop()


@pytest.fixture
def socket_slack(socket_app: SocketApp, emulator: SlackEmulator) -> SocketSlack:
    return SocketSlack(emulator.socket_mode, emulator.response_url("slash"))
