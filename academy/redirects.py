"""Where a redirect may go: only to a path on this site."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")  # control characters, spaces and backslashes


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a plain path on this site, else ``fallback`` (no open redirects, no header tricks)."""
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE.search(target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
