"""Impact reports and exports, in Slack (`/mentor admin report|export`) and offline (CLI).

In Slack: the coordinator check, one unit of work that audits the ask and plans the
outbox row, a "building…" answer, then the outbox renders and posts the report (figures
computed at send time); once the report message exists, its charts follow in its thread.
Offline: the same figures written to a directory (HTML, Markdown, PNGs, CSVs, or the export
CSVs). Neither path reads or writes a text a person wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import InvalidInput
from bot.flows.access import require_coordinator
from bot.flows.caller import Caller
from bot.logging import get_logger
from bot.outbox.engine import send_now
from bot.reports.charts import all_charts
from bot.reports.documents import html_report, markdown_report
from bot.reports.export import export_files
from bot.reports.figures import Report, compute_report, quarter_count
from bot.reports.tables import report_csvs
from bot.runtime import Runtime
from bot.services import audit
from bot.services.report_data import (
    ProgramFacts,
    ReportInputs,
    program_by_name,
    program_for_report,
    report_inputs,
)
from bot.services.report_requests import EXPORT_ZIP, REPORT_POST, chart_ids, plan_request
from bot.views.reports import ReportRequest, build_building, parse_quarter

log = get_logger("twoway.reports")
Progress = Callable[[dict[str, Any]], None]


def _check_quarter(program: ProgramFacts, quarter: int | None) -> None:
    count = quarter_count(program)
    if quarter is not None and quarter > count:
        raise InvalidInput(f"*{program.name}* has {count} quarters; pick one of q1 to q{count}.")


def _ask(
    runtime: Runtime, caller: Caller, *, kind: str, action: str, request: ReportRequest
) -> tuple[ProgramFacts, int | None]:
    """Check, audit and plan one report or export; the row id (None for a repeated ask)."""
    caller = require_coordinator(runtime, caller, action=action)
    if request.bad_quarter is not None:
        parse_quarter(request.bad_quarter)  # raises InvalidInput with the words to show
    with runtime.unit_of_work() as session:
        program = program_for_report(
            session, workspace_id=caller.workspace_id, name=request.program
        )
        _check_quarter(program, request.quarter)
        audit.record(
            session,
            workspace_id=caller.workspace_id,
            actor=caller.user_id,
            action=action,
            target_type="program",
            target_id=program.id,
            detail={"quarter": request.quarter},
        )
        delivery_id = plan_request(
            session,
            kind=kind,
            workspace_id=caller.workspace_id,
            program_id=program.id,
            quarter=request.quarter,
            user_id=caller.user_id,
            now=caller.now,
        )
    log.info(action, program_id=program.id, user_id=caller.user_id, delivery_id=delivery_id)
    return program, delivery_id


def report_command(
    runtime: Runtime, caller: Caller, *, request: ReportRequest, progress: Progress
) -> None:
    """`/mentor admin report [program] [quarter]`: the report, then its charts in its thread."""
    program, delivery_id = _ask(
        runtime, caller, kind=REPORT_POST, action="admin.report", request=request
    )
    progress(build_building(what="impact report", program=program.name))
    if delivery_id is None:
        return
    send_now(runtime, [delivery_id])
    with runtime.unit_of_work() as session:
        charts = chart_ids(session, report_delivery_id=delivery_id)
    send_now(runtime, charts)


def export_command(
    runtime: Runtime, caller: Caller, *, request: ReportRequest, progress: Progress
) -> None:
    """`/mentor admin export [program]`: a zip of CSVs uploaded to the admin channel."""
    program, delivery_id = _ask(
        runtime, caller, kind=EXPORT_ZIP, action="admin.export", request=request
    )
    progress(build_building(what="export", program=program.name))
    if delivery_id is not None:
        send_now(runtime, [delivery_id])


# -- offline (the CLI) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    directory: Path
    files: list[str]


def _offline(
    runtime: Runtime, *, program: str, quarter: int | None, action: str, now: datetime
) -> tuple[ReportInputs, Report]:
    with runtime.unit_of_work() as session:
        facts = program_by_name(session, name=program)
        workspace_id = facts.workspace_id
        _check_quarter(facts, quarter)
        inputs = report_inputs(session, program_id=facts.id)
        audit.record(
            session,
            workspace_id=workspace_id,
            actor="cli",
            action=action,
            target_type="program",
            target_id=facts.id,
            detail={"quarter": quarter},
        )
    return inputs, compute_report(inputs, quarter=quarter, as_of=now)


def write_report(
    runtime: Runtime, *, program: str, quarter: int | None, out: Path, now: datetime
) -> Written:
    """`twoway report`: report.html (charts inline), report.md, the PNGs and every CSV."""
    _, report = _offline(runtime, program=program, quarter=quarter, action="cli.report", now=now)
    charts = all_charts(report)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = dict(charts)
    files.update(report_csvs(report))
    files["report.md"] = markdown_report(report, list(charts))
    files["report.html"] = html_report(report, charts)
    return _write(out, files, program_id=report.program.id, what="report")


def write_export(runtime: Runtime, *, program: str, out: Path, now: datetime) -> Written:
    """`twoway export`: the export's CSVs."""
    inputs, report = _offline(runtime, program=program, quarter=None, action="cli.export", now=now)
    out.mkdir(parents=True, exist_ok=True)
    return _write(
        out, dict(export_files(inputs, report)), program_id=inputs.program.id, what="export"
    )


def _write(out: Path, files: dict[str, str | bytes], *, program_id: int, what: str) -> Written:
    for name, content in files.items():
        path = out / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    log.info(f"cli.{what}.written", program_id=program_id, files=len(files))
    return Written(out, sorted(files))
