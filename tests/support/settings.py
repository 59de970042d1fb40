"""Where the tests' databases are and the app configuration every test app starts from."""

import os

POSTGRES_URL = os.environ.get(
    "POLKU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-not-for-production",
    "SESSION_COOKIE_SECURE": False,
}
