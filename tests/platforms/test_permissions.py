"""Every view declares its permission; undeclared views are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from pairs.core.middleware import PermissionDeclaredMiddleware
from pairs.platforms.permissions import RULES, Access, declared_rule
from tests.platforms.test_isolation import iter_patterns


def test_every_url_declares_a_permission() -> None:
    missing = [name for name, pattern in iter_patterns() if declared_rule(pattern.callback) is None]
    assert not missing, f"These URLs declare no permission: {missing}"


def test_rules_are_named_and_role_rules_name_roles() -> None:
    assert RULES
    for name, rule in RULES.items():
        assert rule.name == name
        if rule.access is Access.ROLES:
            assert rule.roles, name


def test_middleware_refuses_a_view_without_permission() -> None:
    def naked_view(request: object) -> HttpResponse:
        return HttpResponse("ok")

    naked_view.__module__ = "pairs.somewhere.views"
    middleware = PermissionDeclaredMiddleware(lambda request: HttpResponse())
    with pytest.raises(ImproperlyConfigured):
        middleware.process_view(RequestFactory().get("/"), naked_view, (), {})
