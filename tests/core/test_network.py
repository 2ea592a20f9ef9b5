from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from pairs.core.network import client_ip


def test_client_ip_is_the_socket_address_without_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_client_ip_behind_one_proxy_ignores_spoofed_entries(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_client_ip_refuses_garbage(settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="pas-une-ip")
    assert client_ip(request) is None


def test_rate_limit_counters_are_purged_nightly(db: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from pairs.core.models import RateLimitCounter
    from pairs.core.tasks import purge_rate_limits

    RateLimitCounter.objects.create(key="old", window_start=timezone.now() - timedelta(days=2), count=3)
    RateLimitCounter.objects.create(key="new", window_start=timezone.now(), count=1)
    assert purge_rate_limits.func(timestamp=0) == 1
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["new"]
