"""A program's export: CSVs of participants, pairs, sessions, goal and action-item status
counts per pair and survey aggregates (small-group rule), and a zip of them.

Built from `ReportInputs`, which never holds a text a person wrote, so no private text can
reach an export.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict

from bot.reports.figures import Report
from bot.reports.tables import csv_text, survey_table
from bot.services.report_data import ReportInputs, StatusCount


def _when(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _per_pair(counts: list[StatusCount], statuses: tuple[str, ...]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(statuses, 0))
    for row in counts:
        if row.pair_id is not None:
            found[row.pair_id][row.status] = found[row.pair_id].get(row.status, 0) + row.count
    return found


def export_files(inputs: ReportInputs, report: Report) -> dict[str, str]:
    """File name -> CSV text."""
    roles = {p.id: p.role for p in inputs.people}
    rounds = {p.id: p.round for p in inputs.pairs}
    files = {
        "participants.csv": csv_text(
            ["participant_id", "role", "department", "status"],
            [[p.id, p.role, p.department, p.status] for p in inputs.people],
        ),
        "pairs.csv": csv_text(
            [
                "pair_id",
                "round",
                "senior_id",
                "junior_id",
                "third_id",
                "status",
                "started_at",
                "ended_at",
            ],
            [
                [
                    p.id,
                    p.round,
                    p.senior_id,
                    p.junior_id,
                    p.third_id or "",
                    p.status,
                    _when(p.started_at),
                    _when(p.ended_at),
                ]
                for p in inputs.pairs
            ],
        ),
        "sessions.csv": csv_text(
            ["pair_id", "round", "status", "at", "minutes", "cancelled_by_id", "cancelled_by_side"],
            [
                [
                    s.pair_id,
                    rounds.get(s.pair_id, ""),
                    s.status,
                    _when(s.at),
                    s.minutes or "",
                    s.cancelled_by_id or "",
                    roles.get(s.cancelled_by_id or 0, ""),
                ]
                for s in sorted(inputs.sessions, key=lambda s: (s.pair_id, s.at))
            ],
        ),
    }
    goals = _per_pair(inputs.goals, ("open", "achieved", "dropped"))
    actions = _per_pair(inputs.actions, ("open", "done", "dropped"))
    files["pair_progress.csv"] = csv_text(
        [
            "pair_id",
            "round",
            "goals_open",
            "goals_achieved",
            "goals_dropped",
            "actions_open",
            "actions_done",
            "actions_dropped",
        ],
        [[p.id, p.round, *goals[p.id].values(), *actions[p.id].values()] for p in inputs.pairs],
    )
    files["survey_aggregates.csv"] = csv_text(*survey_table(report))
    return files


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
