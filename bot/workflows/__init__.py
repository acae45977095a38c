"""Sequences that span the database and Slack.

Each step is its own short transaction and Slack is called between them, never
inside one. Handlers (after their ack) and scheduler jobs both call these.
"""
