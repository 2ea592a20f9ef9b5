from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from .ratelimit import RateLimited

PERSONAL_DATA = "personal_data"


def mark_personal(response: HttpResponse) -> HttpResponse:
    """Mark a response shown without an account (a token link, a feed…) as holding personal data:
    it is then never cached, like every signed-in page."""
    setattr(response, PERSONAL_DATA, True)
    return response


class SecurityHeadersMiddleware:
    """A nonce-based Content-Security-Policy on every response, and no caching of any
    page served to a signed-in user (those pages may show personal data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "; ".join(
                [
                    "default-src 'self'",
                    f"script-src 'self' 'nonce-{nonce}'",
                    f"style-src 'self' 'nonce-{nonce}'",
                    "img-src 'self' data:",
                    "font-src 'self'",
                    "connect-src 'self'",
                    "object-src 'none'",
                    "base-uri 'none'",
                    "form-action 'self'",
                    "frame-ancestors 'none'",
                ]
            ),
        )
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, PERSONAL_DATA, False):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class PermissionDeclaredMiddleware:
    """Refuse to serve any view of ours that does not declare its permission."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        from pairs.platforms.permissions import declared_rule

        module = getattr(view, "__module__", "") or ""
        if module.startswith("pairs.") and declared_rule(view) is None:
            raise ImproperlyConfigured(f"View {module}.{getattr(view, '__name__', view)} declares no permission.")
        return None


def body_too_large(request: HttpRequest) -> bool:
    """Django's own rule (``HttpRequest.body``), checked before anything reads the body: a request
    that is not a file upload may not announce more than DATA_UPLOAD_MAX_MEMORY_SIZE bytes. Uploads
    (multipart) are bounded by nginx (``client_max_body_size``) and by each upload's own size check."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django answers 400 itself
    return length > limit


def too_large_response(request: HttpRequest) -> HttpResponse:
    logging.getLogger("django.security.RequestDataTooBig").warning(
        "Request body too large: %s bytes sent to %s", request.META.get("CONTENT_LENGTH"), request.path
    )
    response = TemplateResponse(request, "413.html", status=413)
    return response.render()


class RequestLimitsMiddleware:
    """French pages for the requests refused by a limit: too many (RateLimited → 429) and too large
    (413 instead of Django's 400). The size is checked here, after the session and the language
    are known and before any view hook (CSRF) reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if body_too_large(request):
            return too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            response = TemplateResponse(
                request, "429.html", {"minutes": max(1, exception.retry_after_seconds // 60)}, status=429
            )
            response["Retry-After"] = str(exception.retry_after_seconds)
            return response.render()
        if isinstance(exception, RequestDataTooBig):  # an upload's form fields read by the view itself
            return too_large_response(request)
        return None


# The name the settings use.
RateLimitedMiddleware = RequestLimitsMiddleware


def demo_mode() -> bool:
    return bool(getattr(settings, "DEMO_MODE", False))
