"""A device's readable name: the browser and system its User-Agent names
(ua-parser's rules), e.g. "Chrome Mobile 131 · Android 14 · Samsung SM-A546B"."""

from functools import lru_cache

from ua_parser import parse


def _with_version(family: str, major: str | None) -> str:
    return f"{family} {major}" if major else family


@lru_cache(maxsize=512)
def readable_name(user_agent: str | None) -> str | None:
    """None when the agent names nothing known."""
    if not user_agent:
        return None
    found = parse(user_agent)
    parts = []
    if found.user_agent is not None:
        parts.append(_with_version(found.user_agent.family, found.user_agent.major))
    if found.os is not None:
        parts.append(_with_version(found.os.family, found.os.major))
    if found.device is not None and found.device.family != "Other":
        parts.append(found.device.family)
    return " · ".join(parts) or None
