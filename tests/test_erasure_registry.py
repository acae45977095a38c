"""The erasure registry covers the schema: every line names a real column, and every long
text or JSON column of every table is either erased or listed as holding no one's words.

A table another feature adds with a free-text column fails here until it is classified.
"""

from __future__ import annotations

from sqlalchemy import JSON, String, Text

from bot.services.erasure import blank_value
from bot.services.erasure_registry import (
    JSON_IDENTITIES,
    NOT_PERSONAL,
    PERSONAL_TEXTS,
    SLACK_IDENTITIES,
    erased_kinds,
)
from models import Base


def _long_text_columns() -> set[tuple[str, str]]:
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            if isinstance(kind, Text | JSON) or (
                isinstance(kind, String) and (kind.length or 10_000) > 64
            ):
                found.add((table.name, column.name))
    return found


def test_every_registry_line_names_a_real_column_and_blanks_to_a_valid_value() -> None:
    tables = Base.metadata.tables
    for line in PERSONAL_TEXTS:
        table = tables[line.table]
        source = tables[line.via[1]] if line.via else table
        assert line.column in table.c, line
        assert all(c in source.c for c in (line.owner, *line.also)), line
        column = table.c[line.column]
        assert blank_value(column) in (None, "", {}, [])
        assert column.nullable or blank_value(column) is not None
    for identity in (*SLACK_IDENTITIES, *JSON_IDENTITIES):
        assert identity.column in tables[identity.table].c, identity
    assert erased_kinds()[:3] == ["feedback", "learnings", "reflections"]


def test_every_long_text_column_is_classified() -> None:
    personal = {(line.table, line.column) for line in PERSONAL_TEXTS}
    unclassified = sorted(_long_text_columns() - personal - set(NOT_PERSONAL))
    assert unclassified == [], (
        "add these to PERSONAL_TEXTS or NOT_PERSONAL in bot/services/erasure_registry.py"
    )
    assert not personal & set(NOT_PERSONAL)
