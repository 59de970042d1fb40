"""Configuration: safe defaults here, overrides from the environment (POLKU_*).

Password guessing on /login is throttled (server/auth/throttle.py):

- POLKU_LOGIN_MAX_FAILURES_ACCOUNT (default 5): failed logins for one e-mail
  address, since its last successful login, within the window; then that
  e-mail's logins are refused (HTTP 429) until the window has moved on.
- POLKU_LOGIN_MAX_FAILURES_ADDRESS (default 20): failed logins from one client
  address (any e-mails) within the window; then logins from it are refused.
  Raise it if many people log in through one shared address (an office NAT).
- POLKU_LOGIN_WINDOW_MINUTES (default 15): the length of that window.
  A limit of 0 switches that limit off.
- POLKU_TRUSTED_PROXIES (default 0, off): how many reverse proxies stand in
  front of the app. Off, the client address is the connection's
  (request.remote_addr) and X-Forwarded-For is ignored, since any client can
  send it. Set it to the number of proxies only when every request comes
  through them; the login throttle then takes the address the nearest proxy
  appended to X-Forwarded-For.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: str) -> str:
    """The secret key comes from POLKU_SECRET_KEY or a file made on first start.

    It is never in the repository: the file lives in the instance folder, which
    git ignores, and is readable by its owner only.
    """
    if key := os.environ.get("POLKU_SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    database_url = os.environ.get(
        "POLKU_DATABASE_URL", f"sqlite:///{Path(instance_path) / 'polku.db'}"
    )
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Cookies: not readable from scripts, not sent cross-site, HTTPS only
        # unless explicitly switched off for plain-HTTP development on localhost.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("POLKU_INSECURE_COOKIES") != "1",
        "SESSION_COOKIE_NAME": "polku_session",
        # A login's absolute lifetime, counted from the login, not from its
        # last use (server/auth/logins.py checks it against login_sessions).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=10),
        "WTF_CSRF_TIME_LIMIT": None,  # bound to the session instead
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # WebAuthn relying party: a domain name, never an IP address.
        "WEBAUTHN_RP_ID": os.environ.get("POLKU_RP_ID", "localhost"),
        "WEBAUTHN_ORIGIN": os.environ.get("POLKU_ORIGIN", "http://localhost:5000"),
        # Sync: how far ahead of the server a device clock may claim to be.
        "SYNC_MAX_CLOCK_DRIFT_MS": int(os.environ.get("POLKU_MAX_CLOCK_DRIFT_MS", 5 * 60_000)),
        "DEVICE_SESSION_LIFETIME": timedelta(days=int(os.environ.get("POLKU_DEVICE_DAYS", 14))),
        # The coach's app locks after this long without use (docs/pwa.md).
        "APP_LOCK_IDLE_MINUTES": int(os.environ.get("POLKU_APP_LOCK_IDLE_MINUTES", 15)),
        # Login throttling: see the module docstring.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(
            os.environ.get("POLKU_LOGIN_MAX_FAILURES_ACCOUNT", 5)
        ),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(
            os.environ.get("POLKU_LOGIN_MAX_FAILURES_ADDRESS", 20)
        ),
        "LOGIN_FAILURE_WINDOW": timedelta(
            minutes=int(os.environ.get("POLKU_LOGIN_WINDOW_MINUTES", 15))
        ),
        "TRUSTED_PROXY_COUNT": int(os.environ.get("POLKU_TRUSTED_PROXIES", 0)),
        # The bearer token /metrics asks for; unset, there is no /metrics.
        "METRICS_TOKEN": os.environ.get("POLKU_METRICS_TOKEN", ""),
        # Retention (server/subjects/retention.py): years after a participant's
        # last period ended, and years an audit entry is kept.
        "RETENTION_YEARS": int(os.environ.get("POLKU_RETENTION_YEARS", 5)),
        "AUDIT_RETENTION_YEARS": int(os.environ.get("POLKU_AUDIT_RETENTION_YEARS", 10)),
    }
