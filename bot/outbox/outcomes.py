"""What became of the sends of a pass: the report, the kind's policy for a call whose answer
never came, the lease renewed as a call starts, and Slack's errors recorded at their scope.

See bot/outbox/engine.py for the guarantees these make up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from http.client import RemoteDisconnected

from bot.logging import get_logger
from bot.registry import Features
from bot.runtime import Runtime
from bot.services.deliveries import (
    LEASE,
    UNCERTAIN_REASON,
    mark_failed,
    mark_retry,
    pause_pair_for_slack_error,
    stop_workspace,
)
from bot.services.delivery_attempts import Interrupted, mark_uncertain
from bot.slack.errors import SlackError
from models import Delivery
from models.enums import DeliveryStatus

log = get_logger("twoway.outbox")


@dataclass
class SendReport:
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    stopped: int = 0  # sends refused because the workspace's token is gone
    claimed: int = 0
    resent: int = 0  # cut off mid-call earlier, of a re-send kind: planned again (may be twice)
    uncertain: int = 0  # cut off mid-call, of an at-most-once kind: reported, not sent again
    taken_over: int = 0  # the lease ran out while the row waited its turn; another worker has it


def at_most_once_kinds(features: Features) -> frozenset[str]:
    """Every kind some feature declared must never reach Slack twice."""
    return frozenset(kind for feature in features.all for kind in feature.at_most_once)


@dataclass(frozen=True)
class Lease:
    """Renews a row's lease as its call starts, in the pass's time (`now` plus the time the
    pass has taken so far), so that a long paced batch does not outlive its claims."""

    runtime: Runtime
    now: datetime
    started: datetime

    def until(self) -> datetime:
        return self.now + (self.runtime.clock.now() - self.started) + LEASE


def answer_lost(error: SlackError) -> bool:
    """The request went out but no answer came back (a timeout, a connection dropped
    mid-answer): Slack may have carried it out. A refused connection is not such a case."""
    return isinstance(error.__cause__, TimeoutError | ConnectionResetError | RemoteDisconnected)


def record_failure(
    runtime: Runtime,
    delivery_id: int,
    kind: str,
    error: SlackError,
    now: datetime,
    *,
    in_flight: bool,
) -> str:
    """Record a failed send; the outcome's name (a `SendReport` field).

    `in_flight`: the error came from the call that makes the message, not from what
    prepares it (opening a DM), so a lost answer there leaves the outcome unknown.
    """
    reason = f"{error.method}: {error.code}"
    if in_flight and answer_lost(error) and kind in at_most_once_kinds(runtime.features):
        with runtime.unit_of_work() as session:
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            mark_uncertain(delivery, detail=reason)
        log.warning("delivery.uncertain", delivery_id=delivery_id, kind=kind, code=error.code)
        return "uncertain"
    log.warning(
        "delivery.failed", delivery_id=delivery_id, kind=kind, code=error.code, scope=error.scope
    )
    with runtime.unit_of_work() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        if error.scope == "workspace":
            mark_failed(session, delivery, error=reason)
            stop_workspace(session, workspace_id=delivery.workspace_id, reason=reason)
            return "stopped"
        if error.permanent:
            mark_failed(session, delivery, error=reason)
            if delivery.pair_id is not None:
                pause_pair_for_slack_error(
                    session, pair_id=delivery.pair_id, reason=reason, now=now
                )
            return "failed"
        mark_retry(session, delivery, error=reason, now=now)
        return "failed" if delivery.status == DeliveryStatus.FAILED else "retried"


def settled(interrupted: list[Interrupted], worker: str) -> SendReport:
    """Log each row found cut off mid-call; a report that counts them."""
    for row in interrupted:
        if row.resent:
            log.warning("delivery.resending", delivery_id=row.id, kind=row.kind, worker=worker)
        else:
            log.warning(
                "delivery.uncertain",
                delivery_id=row.id,
                kind=row.kind,
                worker=worker,
                reason=UNCERTAIN_REASON,
            )
    resent = sum(1 for row in interrupted if row.resent)
    return SendReport(resent=resent, uncertain=len(interrupted) - resent)
