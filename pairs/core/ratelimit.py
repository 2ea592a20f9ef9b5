"""Rate limits stored in PostgreSQL, so they hold across server processes.

``hit()`` counts one event for a key in the current fixed window and tells whether the
limit is exceeded. Callers raise :class:`RateLimited`; the middleware answers 429.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from .network import client_ip


class RateLimited(Exception):
    """Raised by a view when a client has sent too many requests."""

    def __init__(self, retry_after_seconds: int = 60) -> None:
        super().__init__("rate limited")
        self.retry_after_seconds = retry_after_seconds


def _window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=now.tzinfo)


def hashed(value: str) -> str:
    """Keys never hold a raw e-mail address or IP: only a digest."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event; return True when the key is over its limit for this window."""
    now = timezone.now()
    start = _window_start(now, window_seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_ratelimitcounter (key, window_start, count)
            VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = core_ratelimitcounter.count + 1
            RETURNING count
            """,
            [key, start],
        )
        (count,) = cursor.fetchone()
    return bool(count > limit)


def check(request: HttpRequest, scope: str, *, limit: int, window_seconds: int, extra: str = "") -> None:
    """Raise RateLimited when this client (and optional extra key) exceeded the limit."""
    key = f"{scope}:{hashed(client_ip(request) or 'unknown')}"
    if extra:
        key += ":" + hashed(extra)
    if hit(key, limit=limit, window_seconds=window_seconds):
        raise RateLimited(retry_after_seconds=window_seconds)


def purge_older_than(age: timedelta) -> int:
    from .models import RateLimitCounter

    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=timezone.now() - age).delete()
    return deleted
