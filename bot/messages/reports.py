"""Renderers of reports and exports: the report message, its charts, the export zip.

The rows hold a program id, a quarter and the instant asked for; every figure is
computed at send time from the database (`bot/services/report_data.py` reads no text a
person wrote), so a retry after an outage sends the same report.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.outbox.message import Outgoing, Post, Upload
from bot.outbox.render import RenderContext, Renderer
from bot.reports.charts import CHART_TITLES, one_chart
from bot.reports.export import export_files, zip_bytes
from bot.reports.figures import Report, compute_report
from bot.services.report_data import ReportInputs, report_inputs
from bot.services.report_requests import (
    EXPORT_ZIP,
    REPORT_CHART,
    REPORT_POST,
    plan_charts,
)
from bot.services.workspaces import admin_channel_of
from bot.views.reports import build_export_comment, build_report_post
from models import Delivery


def _report(context: RenderContext, delivery: Delivery) -> tuple[ReportInputs, Report] | str:
    """The delivery's report, computed once per batch however many rows share it."""
    payload = delivery.payload
    key = ("report", payload.get("program_id"), payload.get("quarter"), payload.get("as_of"))
    if key not in context.extras:
        try:
            inputs = report_inputs(context.session, program_id=int(payload["program_id"]))
        except LookupError:
            return "program is gone"
        quarter = payload.get("quarter")
        as_of = datetime.fromisoformat(str(payload["as_of"]))
        context.extras[key] = (inputs, compute_report(inputs, quarter=quarter, as_of=as_of))
    return context.extras[key]


def render_report(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if not channel:
        return "no admin channel"
    built = _report(context, delivery)
    if isinstance(built, str):
        return built
    message = build_report_post(built[1])

    def charts_follow(session: Session, sent_channel: str, ts: str) -> None:
        plan_charts(session, report=delivery, channel=sent_channel, thread_ts=ts, now=context.now)

    return Post(
        text=message["text"], blocks=message["blocks"], channel=channel, on_sent=charts_follow
    )


def render_chart(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    built = _report(context, delivery)
    if isinstance(built, str):
        return built
    name = str(delivery.payload.get("chart"))
    if name not in CHART_TITLES:
        return "unknown chart"
    return Upload(
        filename=name,
        content=one_chart(built[1], name),
        title=CHART_TITLES[name],
        channel=str(delivery.payload.get("channel") or ""),
        thread_ts=str(delivery.payload.get("thread_ts") or "") or None,
    )


def render_export(context: RenderContext, delivery: Delivery) -> Outgoing | str:
    channel = admin_channel_of(context.session, workspace_id=delivery.workspace_id)
    if not channel:
        return "no admin channel"
    built = _report(context, delivery)
    if isinstance(built, str):
        return built
    inputs, report = built
    files = export_files(inputs, report)
    slug = "".join(c if c.isalnum() else "-" for c in inputs.program.name.lower()).strip("-")
    return Upload(
        filename=f"twoway-export-{slug or inputs.program.id}.zip",
        content=zip_bytes(dict(files)),
        title=f"Export of {inputs.program.name}",
        comment=build_export_comment(inputs.program.name),
        channel=channel,
    )


REPORT_RENDERERS: dict[str, Renderer] = {
    REPORT_POST: render_report,
    REPORT_CHART: render_chart,
    EXPORT_ZIP: render_export,
}
