"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, MetaData, TypeDecorator, func
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names: Alembic can then drop and alter them on both
# SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC on every backend.

    SQLite has no timezone type, so values are normalised to UTC on the way in
    and tagged UTC on the way out; naive datetimes are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; twoway stores timezone-aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Execution option naming the clock that stamps rows' created_at / updated_at. Every
# session comes from `bot.db.make_session_factory`, which sets it to the runtime's clock,
# so a row written in simulated time (tests, the playground, `twoway tick --now`) carries
# that time: windows such as "this round's learnings" compare like with like.
CLOCK_OPTION = "twoway_clock"


def stamp(context: Any) -> datetime:
    """The instant a row is written, from the writing session's clock."""
    clock = context.execution_options.get(CLOCK_OPTION)
    if clock is None:
        raise RuntimeError("rows are written through bot.db sessions, which carry a clock")
    return clock.now()


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR plus CHECK constraint: portable and migrates without PostgreSQL enum types."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_cls),
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[dict[str, Any]]: JSON,
    }


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=stamp, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        default=stamp, onupdate=stamp, server_default=func.now()
    )
