from server.auth import views  # noqa: F401  (routes register on import)
from server.auth.blueprint import bp

__all__ = ["bp"]
