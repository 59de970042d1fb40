"""Engine-level settings that differ between SQLite and PostgreSQL."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event

from server.extensions import db

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def configure_engine_events(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # SQLite enforces foreign keys only when asked; WAL lets readers run
        # while the sync push writes; the busy timeout waits for a writer
        # instead of failing at once.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: the feed and audit indexes stay hot
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()
