"""The local playground: `twoway run` without Slack credentials, from a terminal.

The real app on its own SQLite file, the project's Slack emulator as its Slack, and a
small Slack-like page on loopback where a person acts as anyone of a seeded workspace.
"""
