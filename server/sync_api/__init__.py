from server.sync_api import signing, views  # noqa: F401  (routes register on import)
from server.sync_api.blueprint import bp

__all__ = ["bp"]
