"""Everything a request or a job needs, built once per process from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import make_engine, make_session_factory, unit_of_work
from bot.logging import get_logger
from bot.registry import Features
from bot.services.workspaces import ensure_workspace, reactivate_workspace
from bot.slack.dm_cache import DatabaseDmChannelCache
from bot.slack.gateway import RetryPolicy, SlackGateway, build_web_client
from bot.slack.pacing import Pacer, Pacing

log = get_logger("twoway.runtime")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    gateway: SlackGateway
    clock: Clock = field(default_factory=SystemClock)
    features: Features = field(default_factory=Features)
    pacing: Pacing = field(default_factory=Pacing)
    pacer: Pacer | None = field(default=None)  # one per process, made on first send
    workspace_id: int | None = field(default=None)
    team_id: str | None = field(default=None)
    sessions: sessionmaker[Session] = field(init=False, repr=False)
    _readers: sessionmaker[Session] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Rows written through this runtime are stamped by its clock, whichever clock it
        # holds when they are written (tests and simulations swap it).
        self.sessions = make_session_factory(self.engine, clock=_ClockOf(self))

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction; never hold it across a Slack call."""
        with unit_of_work(self.sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it never waits for a writer's lock, so
        the reads every request makes before its ack stay quick under load."""
        if self._readers is None:
            self._readers = make_session_factory(self.engine, clock=_ClockOf(self), read_only=True)
        with unit_of_work(self._readers) as session:
            yield session

    def require_workspace(self) -> int:
        """The workspace this process serves (learnt from auth.test at start-up)."""
        if self.workspace_id is None:
            raise RuntimeError("the workspace is not known yet: bootstrap_workspace first")
        return self.workspace_id

    def close(self) -> None:
        self.engine.dispose()


class _ClockOf:
    """The clock a runtime holds at the moment it is read."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def now(self) -> datetime:
        return self._runtime.clock.now()


def build_runtime(
    settings: Settings,
    *,
    features: Features | None = None,
    clock: Clock | None = None,
    retry: RetryPolicy | None = None,
) -> Runtime:
    engine = make_engine(settings.database_url)
    client = build_web_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, retry=retry
    )
    return Runtime(
        settings=settings,
        engine=engine,
        gateway=SlackGateway(client),
        clock=clock or SystemClock(),
        features=features or Features(),
    )


def bootstrap_workspace(runtime: Runtime) -> None:
    """Learn who we are from auth.test, record the workspace, and cache DMs in its name.

    auth.test succeeding proves the token works: a workspace stopped by a token error or
    an uninstall sends again (the scheduler then drops what became too late to send).
    """
    identity = runtime.gateway.auth_test()
    with runtime.unit_of_work() as session:
        workspace = ensure_workspace(
            session,
            team_id=identity["team_id"],
            name=identity.get("team"),
            bot_user_id=identity.get("user_id"),
            admin_channel_id=runtime.settings.admin_channel,
        )
        runtime.workspace_id = workspace.id
        runtime.team_id = workspace.team_id
        was = reactivate_workspace(session, workspace_id=workspace.id, now=runtime.clock.now())
    runtime.gateway.dm_cache = DatabaseDmChannelCache(runtime.sessions, runtime.workspace_id)
    if was is not None:
        log.warning(
            "workspace.reactivated",
            team_id=runtime.team_id,
            workspace_id=runtime.workspace_id,
            was=was,
            checked_by="start-up",
        )
    log.info("workspace.ready", team_id=runtime.team_id, workspace_id=runtime.workspace_id)
