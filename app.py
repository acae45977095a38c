"""twoway's entry point and CLI (`twoway ...` or `python app.py ...`). Importing starts nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from bot.clock import SettableClock, SystemClock
from bot.config import Settings, SettingsError, load_settings
from bot.logging import configure_logging, get_logger

if TYPE_CHECKING:  # imported where used, so `--help` and `db` start quickly
    from sqlalchemy.exc import SQLAlchemyError

    from bot.runtime import Runtime
    from bot.slack.errors import SlackError

cli = typer.Typer(
    help="twoway: reverse-mentoring programs inside Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
person_cli = typer.Typer(
    help="A person's data on request: export it, or erase it.", no_args_is_help=True
)
cli.add_typer(person_cli, name="person")

log = get_logger("twoway.cli")

# A revision may be relative (`-1`, `+2`): without this click would read `-1` as an option.
_REVISION_ARGUMENT = {"ignore_unknown_options": True}


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and the exit code: 2 when twoway could not do it, 1 for a finding."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _database_problem(database_url: str, exc: SQLAlchemyError) -> str:
    """Name the database (password hidden) and the driver's first words, on one line."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    where = make_url(database_url).render_as_string(hide_password=True)
    unavailable = isinstance(exc, OperationalError | InterfaceError | PoolTimeout)
    what = "database unavailable at" if unavailable else "database error at"
    detail = exc.orig if getattr(exc, "orig", None) is not None else exc  # no SQL, no parameters
    return _one_line(f"{what} {where}: {type(exc).__name__}: {detail}")


@contextmanager
def _database_errors(database_url: str) -> Iterator[None]:
    """Exit with one line when the database or a migration fails, instead of a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.migrate import MigrationError

    try:
        yield
    except MigrationError as exc:
        _fail(str(exc))
    except SQLAlchemyError as exc:
        _fail(_database_problem(database_url, exc))


def _slack_problem(settings: Settings, exc: SlackError) -> str:
    """Tell apart "Slack could not be reached", "Slack is struggling" and "Slack said no"."""
    from bot.slack.errors import SlackUnavailable

    url = settings.slack_api_url
    if exc.code == "connection_error":
        cause = exc.__cause__
        reason = getattr(cause, "reason", cause) if cause is not None else exc.code
        return _one_line(
            f"Slack could not be reached at {url} ({reason}); check SLACK_API_URL "
            "and this machine's network"
        )
    if isinstance(exc, SlackUnavailable):
        return (
            f"Slack at {url} did not answer {exc.method} ({exc.code}); try again in a few minutes"
        )
    if exc.code.startswith("http_"):
        return (
            f"{url} does not answer like Slack's Web API ({exc.method}: {exc.code}); "
            "check SLACK_API_URL"
        )
    return f"Slack refused the bot token ({exc.code}); check SLACK_BOT_TOKEN"


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _ready_runtime(settings: Settings, *, need_slack: bool = True) -> Runtime:
    """Migrate, connect and (when Slack is needed) learn the workspace, or exit with one line."""
    from bot.runtime import bootstrap_workspace, build_runtime
    from bot.schema import upgrade_to_head
    from bot.slack.errors import SlackError
    from handlers import discover_features

    runtime = build_runtime(settings, features=discover_features())
    with _database_errors(settings.database_url):
        upgrade_to_head(runtime.engine, settings.database_url)
        if need_slack:
            try:
                bootstrap_workspace(runtime)
            except SlackError as exc:
                _fail(_slack_problem(settings, exc))
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
def run(
    playground: Annotated[
        bool, typer.Option("--playground", help="Run the local playground instead of the bot.")
    ] = False,
) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT. Without
    Slack credentials, from a terminal: the local playground on http://127.0.0.1:PORT/."""
    from bot.playground.cli import should_fall_back
    from bot.setup_help import missing_credentials_message

    settings = _settings()
    missing = settings.missing_slack_settings()
    if should_fall_back(missing=missing, explicit=playground):
        _playground(settings.port, missing)
        return
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
        _serve_socket_mode(bolt_app, settings)
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


@cli.command("playground")
def playground_command() -> None:
    """A local playground: the bot with an emulated Slack and a web page, no tokens needed."""
    settings = _settings()
    _playground(settings.port, settings.missing_slack_settings())


@cli.command("demo")
def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help="Where the transcripts and the report go.")
    ] = Path("twoway-demo"),
    people: Annotated[
        int, typer.Option("--people", min=2, max=24, help="How many people join.")
    ] = 24,
) -> None:
    """A scripted quarter without Slack: enrolment, matching, nudges, check-ins, a stalled
    pair, a survey and a rotation, through the real app; prints two transcripts."""
    import logging

    from bot.playground.demo import run_demo, write_outputs

    configure_logging(logging.WARNING)  # the transcripts are the output; problems still show
    out.mkdir(parents=True, exist_ok=True)
    result = run_demo(
        out / "demo.db",
        people=people,
        progress=lambda line: typer.echo(line, err=True),
        report_out=out / "report",
    )
    typer.echo(f"== The pair's group DM ({len(result.kinds(result.pair_channel))} messages)")
    typer.echo(result.pair_transcript)
    typer.echo(f"\n== {result.person.name if result.person else 'A person'}'s own DM")
    typer.echo(result.person_transcript)
    for path in write_outputs(result, out):
        typer.echo(f"wrote {path}", err=True)
    typer.echo(f"wrote the impact report to {out / 'report'} (open report.html)", err=True)


def _playground(port: int, missing: list[str]) -> None:
    from bot.playground.cli import serve_playground
    from bot.setup_help import missing_credentials_message

    try:
        serve_playground(port, missing_credentials_message(missing or ["nothing"]))
    except OSError as exc:
        _fail(
            f"the playground could not listen on 127.0.0.1:{port} ({exc}); set PORT to a free port"
        )


def _serve_socket_mode(bolt_app: object, settings: Settings) -> None:
    """Open the Socket Mode connection, or exit with one line naming the token to check."""
    from threading import Event

    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError, SlackClientError

    handler = SocketModeHandler(bolt_app, settings.slack_app_token)  # type: ignore[arg-type]
    try:
        handler.connect()  # apps.connections.open, then the websocket
    except SlackApiError as exc:
        _fail(
            f"Slack refused the app-level token ({exc.response.get('error')}); check "
            "SLACK_APP_TOKEN: an xapp- token from Basic Information -> App-Level Tokens, "
            "with the connections:write scope, of the app whose bot token is SLACK_BOT_TOKEN"
        )
    except (SlackClientError, OSError) as exc:
        _fail(
            _one_line(
                f"Slack could not be reached at {settings.slack_api_url} to open the Socket "
                f"Mode connection ({type(exc).__name__}: {exc}); check SLACK_API_URL and "
                "this machine's network"
            )
        )
    log.info("bot.start", mode="socket")
    Event().wait()  # the connection runs on its own threads until the process is stopped


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
            help="Only rows with this status: planned, claimed, sending, sent, failed, "
            "cancelled or uncertain (cut off mid-call, never sent twice)."
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
    settings = _settings()
    runtime = _ready_runtime(settings, need_slack=False)
    with _database_errors(settings.database_url):
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


@cli.command()
def report(
    program: Annotated[str, typer.Option(help="The program's name.")],
    out: Annotated[str, typer.Option(help="Directory to write into (created if missing).")],
    quarter: Annotated[str | None, typer.Option(help="A quarter of the program: q1, q2…")] = None,
) -> None:
    """Write the impact report: report.html (charts inline), report.md, PNGs and CSVs."""
    from bot.reports.cli import run_report

    settings = _settings()
    runtime = _ready_runtime(settings, need_slack=False)
    with _database_errors(settings.database_url):
        typer.echo(run_report(runtime, program=program, quarter=quarter, out=out, fail=_fail))


@cli.command()
def export(
    program: Annotated[str, typer.Option(help="The program's name.")],
    out: Annotated[str, typer.Option(help="Directory to write into (created if missing).")],
) -> None:
    """Write the program's export CSVs (participants, pairs, sessions, progress, surveys)."""
    from bot.reports.cli import run_export

    settings = _settings()
    runtime = _ready_runtime(settings, need_slack=False)
    with _database_errors(settings.database_url):
        typer.echo(run_export(runtime, program=program, out=out, fail=_fail))


@db_cli.command("upgrade", context_settings=_REVISION_ARGUMENT)
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. head or +1.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: head) and say which revision was reached."""
    from bot import migrate

    url = _settings().database_url
    with _database_errors(url):
        migrate.upgrade(url, revision)
        typer.echo(f"database at {migrate.describe(migrate.revision_of(url))}")


@db_cli.command("downgrade", context_settings=_REVISION_ARGUMENT)
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")],
) -> None:
    """Revert migrations down to REVISION and say which revision was reached."""
    from bot import migrate

    url = _settings().database_url
    with _database_errors(url):
        migrate.downgrade(url, revision)
        typer.echo(f"database at {migrate.describe(migrate.revision_of(url))}")


@db_cli.command("check")
def db_check() -> None:
    """Exit 1 when the models and the migrations disagree; the database must be at head."""
    from alembic.util import AutogenerateDiffsDetected

    from bot import migrate

    url = _settings().database_url
    with _database_errors(url):
        try:
            migrate.check(url)
        except AutogenerateDiffsDetected as exc:
            _fail(_one_line(f"models and migrations differ: {exc}"), code=1)
    typer.echo("models and migrations agree")


_TEAM_OPTION = typer.Option(help="The Slack team id, when the database holds several.")


def _person_runtime(settings: Settings) -> Runtime:
    return _ready_runtime(settings, need_slack=settings.slack_bot_token is not None)


@person_cli.command("export")
def person_export(
    user_id: Annotated[str, typer.Argument(help="The person's Slack user id, e.g. U0123ABCD.")],
    out: Annotated[str, typer.Option(help="The file to write; .md for Markdown, else JSON.")],
    team: Annotated[str | None, _TEAM_OPTION] = None,
) -> None:
    """Write everything twoway stores about USER_ID to a file."""
    from pathlib import Path

    from bot.person_cli import PersonCommandError, export_to_file

    settings = _settings()
    runtime = _person_runtime(settings)
    with _database_errors(settings.database_url):
        try:
            typer.echo(export_to_file(runtime, user_id=user_id, team=team, out=Path(out)))
        except PersonCommandError as refusal:
            _fail(str(refusal), code=refusal.code)


@person_cli.command("erase")
def person_erase(
    user_id: Annotated[str, typer.Argument(help="The person's Slack user id, e.g. U0123ABCD.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: erasure cannot be undone.")] = False,
    team: Annotated[str | None, _TEAM_OPTION] = None,
) -> None:
    """Erase USER_ID as `/mentor forget` does: partners told, texts deleted, identity replaced."""
    from bot.person_cli import ERASE_NEEDS_YES, PersonCommandError, erase

    if not yes:
        _fail(ERASE_NEEDS_YES.format(user=user_id))
    settings = _settings()
    runtime = _person_runtime(settings)
    with _database_errors(settings.database_url):
        try:
            sent = settings.slack_bot_token is not None
            typer.echo(erase(runtime, user_id=user_id, team=team, send=sent))
        except PersonCommandError as refusal:
            _fail(str(refusal), code=refusal.code)


def main() -> None:
    cli()


if __name__ == "__main__":
    sys.exit(main())
