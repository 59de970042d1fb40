from server.devices import views  # noqa: F401  (routes)
from server.devices.blueprint import bp

__all__ = ["bp"]
