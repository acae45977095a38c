"""twoway's entry point and CLI (`twoway ...` or `python app.py ...`). Importing starts nothing."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated, NoReturn

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import SettableClock, SystemClock
from bot.config import Settings, SettingsError, load_settings
from bot.logging import configure_logging, get_logger
from bot.runtime import Runtime, bootstrap_workspace, build_runtime
from bot.slack.errors import SlackError

cli = typer.Typer(
    help="twoway: reverse-mentoring programs inside Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")

log = get_logger("twoway.cli")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _ready_runtime(settings: Settings, *, need_slack: bool = True) -> Runtime:
    """Migrate, connect and (when Slack is needed) learn the workspace, or exit with one line."""
    from bot.schema import upgrade_to_head
    from handlers import discover_features

    runtime = build_runtime(settings, features=discover_features())
    try:
        upgrade_to_head(runtime.engine, settings.database_url)
    except SQLAlchemyError as exc:
        _fail(
            f"database unavailable at {runtime.engine.url!r}: {type(exc).__name__}: {exc.args[0]}"
        )
    if need_slack:
        try:
            bootstrap_workspace(runtime)
        except SlackError as exc:
            _fail(
                f"Slack refused the bot token ({exc.code}); check SLACK_BOT_TOKEN and SLACK_API_URL"
            )
    return runtime


def _hold_scheduler_lock(settings: Settings) -> None:
    """Take the SQLite scheduler lock for the life of the process, or exit with one line."""
    from contextlib import ExitStack

    from bot.scheduler.lock import SchedulerBusy, single_scheduler

    stack = ExitStack()
    try:
        stack.enter_context(single_scheduler(settings.database_url))
    except SchedulerBusy as busy:
        _fail(f"scheduler refused: {busy}")
    _held_locks.append(stack)


_held_locks: list[object] = []  # kept referenced so the lock lives as long as the process


@cli.command()
def run() -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT."""
    from bot.setup_help import missing_credentials_message

    settings = _settings()
    missing = settings.missing_slack_settings()
    if missing:
        _fail(missing_credentials_message(missing))
    configure_logging()
    runtime = _ready_runtime(settings)

    from bot.scheduler.heartbeat import start_background_heartbeat
    from handlers import create_bolt_app

    bolt_app = create_bolt_app(runtime)
    if settings.scheduler == "on":
        _hold_scheduler_lock(settings)
        start_background_heartbeat(runtime)
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("bot.start", mode="socket")
        SocketModeHandler(bolt_app, settings.slack_app_token).start()
        return
    import uvicorn

    from bot.web import create_asgi_app

    log.info("bot.start", mode="http", port=settings.port)
    uvicorn.run(
        create_asgi_app(bolt_app, runtime.engine),
        host="0.0.0.0",
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


@cli.command()
def worker() -> None:
    """Run only the scheduler heartbeat (the Procfile's worker; the web runs with it off)."""
    settings = _settings()
    if settings.scheduler != "on":
        _fail("TWOWAY_SCHEDULER is off; the worker only runs the scheduler, so set it to on")
    if not settings.slack_bot_token:
        _fail("SLACK_BOT_TOKEN is missing: the worker sends messages and needs the bot token")
    configure_logging()
    from bot.scheduler.heartbeat import run_blocking_heartbeat

    runtime = _ready_runtime(settings)
    _hold_scheduler_lock(settings)
    run_blocking_heartbeat(runtime)


@cli.command()
def tick(
    now: Annotated[
        str | None,
        typer.Option(help="The instant to run as, ISO-8601 (e.g. 2026-03-02T09:00:00+01:00)."),
    ] = None,
) -> None:
    """Run one scheduler pass as of NOW (default: the current time); safe to repeat."""
    from bot.scheduler.tick import run_tick

    instant = _parse_instant(now)
    settings = _settings()
    configure_logging()
    runtime = _ready_runtime(settings, need_slack=settings.slack_bot_token is not None)
    runtime.clock = SettableClock(instant)  # renderers read the same instant the tick runs as
    from bot.scheduler.lock import SchedulerBusy, single_scheduler

    try:
        with single_scheduler(settings.database_url):
            report = run_tick(runtime, instant)
    except SchedulerBusy as busy:
        _fail(f"tick refused: {busy}")
    counts = ", ".join(f"{name}: {count}" for name, count in report.counts.items()) or "nothing due"
    typer.echo(f"tick at {instant.isoformat()}: {counts}")


def _parse_instant(value: str | None) -> datetime:
    if value is None:
        return SystemClock().now()
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _fail(f"--now must be an ISO-8601 instant such as 2026-03-02T09:00:00Z, not {value!r}")
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


@cli.command()
def deliveries(
    status: Annotated[
        str | None,
        typer.Option(
            help="Only rows with this status: planned, claimed, sent, failed or cancelled."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="How many rows to show, newest due first.")] = 50,
) -> None:
    """List what the scheduler planned, sent and failed to send, with the reasons."""
    from bot.flows.deliveries import delivery_listing
    from models.enums import DeliveryStatus

    try:
        wanted = DeliveryStatus(status) if status else None
    except ValueError:
        _fail(
            f"--status must be one of {', '.join(s.value for s in DeliveryStatus)}, not {status!r}"
        )
    runtime = _ready_runtime(_settings(), need_slack=False)
    listing = delivery_listing(runtime, status=wanted, limit=limit)
    summary = (
        ", ".join(f"{name}: {count}" for name, count in sorted(listing.counts.items()))
        or "no deliveries yet"
    )
    typer.echo(summary)
    for row in listing.lines:
        typer.echo(
            f"{row.id:>7}  {row.status:<9}  {row.due_at:%Y-%m-%d %H:%M}Z  {row.kind:<18}  "
            f"{row.key:<40}  attempts={row.attempts}"
            + (f"  {row.last_error}" if row.last_error else "")
        )


@db_cli.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from bot import migrate

    settings = _settings()
    migrate.upgrade(settings.database_url, revision)
    typer.echo(
        f"database at {migrate.head_revision(settings.database_url) if revision == 'head' else revision}"
    )


@db_cli.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
) -> None:
    """Revert migrations down to REVISION."""
    from bot import migrate

    migrate.downgrade(_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@db_cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree (alembic check)."""
    from alembic.util import AutogenerateDiffsDetected

    from bot import migrate

    try:
        migrate.check(_settings().database_url)
    except AutogenerateDiffsDetected as exc:
        _fail(f"models and migrations differ: {exc}", code=1)
    typer.echo("models and migrations agree")


def main() -> None:
    cli()


if __name__ == "__main__":
    sys.exit(main())
