"""The sequences a command, a button, the App Home or the CLI trigger, one module a feature.

A flow takes the runtime, the `Caller` (who acted, where, in which timezone) and plain
values; it runs short units of work that call services, makes its Slack calls between
them (never inside one), and hands every message it starts to the outbox.
"""
