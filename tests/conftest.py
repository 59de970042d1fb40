"""Shared fixtures: an app on a migrated database (SQLite, and PostgreSQL when
available) and a factory for records (tests/support/factories.py).

Every database test runs on both backends. The schema is built by running the
Alembic migrations, once per backend per session; each test then gets a clean
database (SQLite: a copy of the migrated file; PostgreSQL: truncated tables).
"""

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from server import create_app
from server.extensions import db
from tests.support.settings import BASE_CONFIG, POSTGRES_URL

pytest_plugins = [
    "tests.support.factories",
    "tests.e2e.fixtures",
    "tests.support.subjects_fixtures",
]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_unavailable_reason() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means: no PostgreSQL here
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(error).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_schema():
    """A private schema in the test database for this session, migrated once."""
    reason = _postgres_unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    schema = f"polku_test_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    app = create_app({**BASE_CONFIG, **_postgres_config(schema)})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def _postgres_config(schema: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file with all migrations applied; tests get copies of it."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


def _truncate_all(app) -> None:
    with app.app_context(), db.engine.begin() as conn:
        names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
        conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request):
    return request.param


@pytest.fixture
def app(request, db_backend, tmp_path):
    if db_backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "polku.db"
        shutil.copy(template, path)
        config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    else:
        schema = request.getfixturevalue("postgres_schema")
        config = _postgres_config(schema)
    app = create_app({**BASE_CONFIG, **config})
    app.test_client_class = FreshContextClient
    if db_backend == "postgresql":
        _truncate_all(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in a real server.

    The app fixture keeps an app context open for the test's own queries; without
    this, Flask would reuse it for every request and `g` (the user, the CSRF
    token) would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()
