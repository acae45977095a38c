"""Closed vocabularies, stored as VARCHAR with CHECK constraints."""

from __future__ import annotations

import enum


class WorkspaceStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # token revoked or app uninstalled: nothing is sent


class ProgramStatus(enum.StrEnum):
    ENROLLING = "enrolling"
    ACTIVE = "active"
    CLOSED = "closed"


class Cadence(enum.StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class Role(enum.StrEnum):
    SENIOR = "senior"
    JUNIOR = "junior"


class ParticipantStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class PairStatus(enum.StrEnum):
    PROPOSED = "proposed"  # in a match preview, not yet confirmed
    ACTIVE = "active"
    PAUSED = "paused"  # e.g. a permanent Slack error; reason kept on the pair
    ENDED = "ended"


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    SKIPPED = "skipped"
    RESCHEDULED = "rescheduled"
    MISSED = "missed"


class Visibility(enum.StrEnum):
    PRIVATE = "private"  # the author only
    PAIR = "pair"  # the author and their partner
    RECIPIENT = "recipient"  # feedback: author and recipient


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class SurveyKind(enum.StrEnum):
    QUARTERLY = "quarterly"
    ROTATION_END = "rotation_end"


class DeliveryStatus(enum.StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"  # held by a worker under a lease; Slack not called yet
    SENDING = "sending"  # the Slack call started: if the worker dies now, nobody knows
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNCERTAIN = "uncertain"  # interrupted mid-call, of a kind never sent twice: reported


class AuditOutcome(enum.StrEnum):
    OK = "ok"
    DENIED = "denied"
    ERROR = "error"


class MatchRunStatus(enum.StrEnum):
    PROPOSED = "proposed"  # a preview in the admin channel, nothing sent to participants
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"  # replaced by a re-run


class CheckInOutcome(enum.StrEnum):
    MET = "met"
    RESCHEDULED = "rescheduled"
    MISSED = "missed"
