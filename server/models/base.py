"""Declarative base, constraint naming convention and the columns every synced record carries."""

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Enum, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from sync.ids import uuid7

# Alembic needs deterministic constraint names to alter them later, on SQLite too.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes for timezone-aware columns; they are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def new_uuid() -> str:
    return uuid7()


class SyncedMixin:
    """Columns of a record that devices create offline and sync.

    The id is made by the client (a UUID) so a record exists before the server
    has seen it. `version` counts the changes the server applied; `field_meta`
    keeps, per field, the hybrid-logical-clock stamp, device and user of the
    last write, which is what the sync engine merges on. Deletes are tombstones
    (`deleted`), never row deletions, so they sync like any other change.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    field_meta: Mapped[dict] = mapped_column(JSON, default=dict)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), nullable=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), nullable=True)


def choice(name: str, values: tuple[str, ...]):
    """A string column type limited to `values` by a named CHECK constraint.

    Not a native enum: adding a value later is a constraint change, not a type
    migration, on both SQLite and PostgreSQL.
    """
    return Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)
