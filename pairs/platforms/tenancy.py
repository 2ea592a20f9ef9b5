"""Row-level security: PostgreSQL itself hides other platforms' rows during a request.

Tenant tables carry a ``platform_id`` and a policy (see ``migration_operations``): when the
session variable ``pairs.platform_id`` is set, only rows of that platform are visible. The
middleware sets it from the active space for the duration of a request and clears it
afterwards. Outside requests (commands, the worker) it is unset and every row is visible.

This is a second line of defence behind the scoped selectors, not a replacement for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.http import HttpRequest, HttpResponse

SETTING = "pairs.platform_id"


def current_scope() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(current_setting(%s, true), '')", [SETTING])
        (value,) = cursor.fetchone()
    return str(value)


def set_scope(platform_id: int | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, "" if platform_id is None else str(platform_id)])


@contextmanager
def platform_scope(platform_id: int | None) -> Iterator[None]:
    """Run a block scoped to one platform (or unscoped with None), then restore."""
    previous = current_scope()
    set_scope(platform_id)
    try:
        yield
    finally:
        set_scope(int(previous) if previous else None)


@contextmanager
def unscoped() -> Iterator[None]:
    """For the few reads that legitimately span a person's platforms (their own spaces)."""
    with platform_scope(None):
        yield


class PlatformScopeMiddleware:
    """Scope the database session to the active platform for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        platform = getattr(request, "platform", None)
        if platform is None:
            return self.get_response(request)
        set_scope(platform.pk)
        try:
            return self.get_response(request)
        finally:
            set_scope(None)
