"""The offline report: `report.md` and a self-contained `report.html` (charts as data URIs).

Both are built from the same tables as the CSVs, so every number in them has its CSV.
"""

from __future__ import annotations

import base64
import html

from bot.reports.charts import CHART_TITLES
from bot.reports.figures import Report
from bot.reports.tables import Table, report_tables

INTRO = (
    "Learning outcomes (what people say they gained) and operational metrics (what the pairs "
    "did) are kept apart. Any figure drawn from fewer than 3 people is withheld and says so; "
    "no feedback, learning, reflection or skip reason is part of this report."
)
SECTIONS = (
    ("Learning outcomes", "learning outcomes"),
    ("Operational metrics", "operational metrics"),
)


def _scope(report: Report) -> str:
    return (
        f"{report.starts_on:%d %b %Y} to {report.ends_on:%d %b %Y} (as of "
        f"{report.as_of:%d %b %Y %H:%M} UTC); {sum(report.people.values())} people enrolled "
        f"({', '.join(f'{n} {role}s' for role, n in sorted(report.people.items()))}), "
        f"{report.pairs} pairs"
    )


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown_report(report: Report, chart_names: list[str]) -> str:
    tables = report_tables(report)
    header, rows = tables["summary.csv"]
    parts = [f"# {report.title}", "", _scope(report), "", INTRO, ""]
    for title, section in SECTIONS:
        parts += [f"## {title}", ""]
        parts.append(_md_table(header[1:], [r[1:] for r in rows if r[0] == section]))
        parts.append("")
    survey_header, survey_rows = tables["survey_scores.csv"]
    parts += ["## Survey scores per quarter by role", "", _md_table(survey_header, survey_rows), ""]
    parts += ["## Charts", ""]
    parts += [f"![{CHART_TITLES.get(name, name)}]({name})" for name in chart_names]
    return "\n".join(parts) + "\n"


def _html_table(table: Table, *, skip_first: bool = False) -> str:
    header, rows = table
    cut = 1 if skip_first else 0
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header[cut:])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row[cut:]) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
    "text-align:left}img{max-width:100%;border:1px solid #eee;margin:1em 0}"
)


def html_report(report: Report, charts: dict[str, bytes]) -> str:
    """One file that opens in any browser: the charts are embedded as PNG data URIs."""
    tables = report_tables(report)
    header, rows = tables["summary.csv"]
    body = [
        f"<h1>{html.escape(report.title)}</h1>",
        f"<p>{html.escape(_scope(report))}</p>",
        f"<p>{html.escape(INTRO)}</p>",
    ]
    for title, section in SECTIONS:
        body.append(f"<h2>{title}</h2>")
        body.append(_html_table((header, [r for r in rows if r[0] == section]), skip_first=True))
    body.append("<h2>Survey scores per quarter by role</h2>")
    body.append(_html_table(tables["survey_scores.csv"]))
    body.append("<h2>Charts</h2>")
    for name, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        alt = html.escape(CHART_TITLES.get(name, name))
        body.append(f'<figure><img alt="{alt}" src="data:image/png;base64,{data}"></figure>')
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
