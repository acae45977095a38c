"""A local Slack Web API server that a real ``slack_sdk.WebClient`` talks to.

Tests and ``twoway demo`` run the bot against it: it keeps a workspace (users, channels,
messages, views, files), validates Block Kit like Slack, records every call and fails on
demand (error codes, 429 with Retry-After, 5xx, a revoked token).

    with SlackEmulator() as emu:
        client = WebClient(base_url=emu.api_url, token=emu.bot_token)
"""

from bot.slack_emulator.emulator import SlackEmulator
from bot.slack_emulator.recording import RecordedCall

__all__ = ["RecordedCall", "SlackEmulator"]
