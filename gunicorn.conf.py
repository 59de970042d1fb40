"""gunicorn settings for production: `make serve`, `polku serve`, or
`gunicorn -c gunicorn.conf.py` (gunicorn's default name: found by itself when
started in this folder). README "Running in production".

It imports nothing of the app: the master stays free of the app's modules,
so on SIGHUP the workers it starts load the new code.

Every host runs this; the app keeps nothing between requests (logins, device
sessions, sync state and throttle counts live in the database), so a load
balancer may send any request to any worker of any host.

Environment (all optional):
- POLKU_BIND: address:port to listen on (default 127.0.0.1:8000; the reverse
  proxy, which ends TLS, forwards to it).
- POLKU_WORKERS: worker processes (default: the number of CPU cores).
- POLKU_THREADS: threads per worker (default 4): a request mostly waits for
  PostgreSQL, so a few threads keep a core busy.
- POLKU_TRUSTED_PROXIES (the app's; README "Configuration") and
  POLKU_PROXY_ADDRESSES: with proxies trusted, the addresses or networks they
  connect from (default 127.0.0.1,::1); gunicorn then believes their
  X-Forwarded-Proto. With none trusted, no address is: the header is anyone's.
- PROMETHEUS_MULTIPROC_DIR: where the workers' metrics files go (default: a
  new private directory per start); emptied when the server starts.
"""

import os
import shutil
import tempfile

wsgi_app = "server:create_app()"
bind = [os.environ.get("POLKU_BIND", "127.0.0.1:8000")]
worker_class = "gthread"
workers = int(os.environ.get("POLKU_WORKERS", 0)) or os.cpu_count() or 1
threads = int(os.environ.get("POLKU_THREADS", 4))
# A request that takes longer than this is stuck: its worker is replaced. A
# 500-mutation push takes well under a second.
timeout = 30
# On SIGHUP (new code or settings) or SIGTERM, workers finish what they serve
# for up to this long while new workers take over.
graceful_timeout = 30
# Longer than the load balancer's idle timeout (nginx 60 s, most cloud load
# balancers 60 s), so the proxy, not gunicorn, closes an idle connection and
# never sends a request on one gunicorn just closed.
keepalive = 65
# Workers are replaced, one at a time, after this many requests.
max_requests = 20_000
max_requests_jitter = 2_000

forwarded_allow_ips = (
    os.environ.get("POLKU_PROXY_ADDRESSES", "127.0.0.1,::1")
    if int(os.environ.get("POLKU_TRUSTED_PROXIES", 0)) > 0
    else ""
)

# The app writes one JSON line per request (server/ops/request_log.py):
# gunicorn's own access log would repeat it, with the query string.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "polku": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}

# Managed with signals (HUP: reload, TERM: graceful stop); a control socket in
# $HOME would be shared by every server on the host.
control_socket_disable = True

# Set here, in the master, before any worker imports prometheus_client (and
# kept when SIGHUP reads this file again).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="polku-metrics-")


def on_starting(server):
    """Metrics files of an earlier run would be added to this one's."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, mode=0o700, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
