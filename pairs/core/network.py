"""The client's address, also behind a reverse proxy."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or, behind ``PAIRS_TRUSTED_PROXIES`` proxies, the address the
    outermost trusted proxy saw (the right-most X-Forwarded-For entries are the proxies')."""
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    address = request.META.get("REMOTE_ADDR") or ""
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
