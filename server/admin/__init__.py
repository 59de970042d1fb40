from server.admin import views  # noqa: F401  (routes register on import)
from server.admin.blueprint import bp

__all__ = ["bp"]
