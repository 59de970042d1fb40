from server.home import views  # noqa: F401  (routes register on import)
from server.home.blueprint import bp

__all__ = ["bp"]
