"""Every view declares who may use it.

A view is wrapped with :func:`permission`, given a :class:`Rule` from an app's
``policies.py``. The wrapper enforces the rule and marks the view, so that a middleware
and a test can refuse any view that declares nothing.

Views whose URL names an object (``<int:membership_id>``) declare that URL argument with
:func:`register_url_object`. When a user's role is refused, the object is first looked
up in the user's own platform: an object of another platform answers 404, so a refusal
never reveals that an object exists elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .models import Platform
from .roles import Role

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


class Access(Enum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    ROLES = "roles"


@dataclass(frozen=True)
class Rule:
    name: str
    access: Access
    roles: frozenset[Role] = field(default_factory=frozenset)
    description: str = ""

    def allows(self, request: HttpRequest) -> bool:
        if self.access is Access.PUBLIC:
            return True
        if not request.user.is_authenticated:
            return False
        if self.access is Access.AUTHENTICATED:
            return True
        membership = getattr(request, "membership", None)
        return membership is not None and membership.role in self.roles


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> Rule:
    existing = RULES.get(rule.name)
    if existing is not None and existing != rule:
        raise ValueError(f"Permission rule {rule.name!r} declared twice with different content.")
    RULES[rule.name] = rule
    return rule


def public(name: str, description: str = "") -> Rule:
    return _register(Rule(name=name, access=Access.PUBLIC, description=description))


def authenticated(name: str, description: str = "") -> Rule:
    return _register(Rule(name=name, access=Access.AUTHENTICATED, description=description))


def roles(name: str, *allowed: Role, description: str = "") -> Rule:
    if not allowed:
        raise ValueError("A role rule needs at least one role.")
    return _register(Rule(name=name, access=Access.ROLES, roles=frozenset(allowed), description=description))


# URL argument name -> function(platform, value) telling whether that object exists in the platform.
ObjectExists = Callable[[Platform, Any], bool]
URL_OBJECTS: dict[str, ObjectExists] = {}
# URL arguments that do not name a platform object (tokens, language codes...).
URL_NON_OBJECT_ARGUMENTS: set[str] = set()


def register_url_object(argument: str, exists_in_platform: ObjectExists) -> None:
    URL_OBJECTS[argument] = exists_in_platform


def register_url_non_object(*arguments: str) -> None:
    URL_NON_OBJECT_ARGUMENTS.update(arguments)


def _objects_all_in_platform(request: HttpRequest, kwargs: dict[str, Any]) -> bool:
    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    for argument, value in kwargs.items():
        exists = URL_OBJECTS.get(argument)
        if exists is not None and not exists(membership.platform, value):
            return False
    return True


def refuse(request: HttpRequest, rule: Rule, kwargs: dict[str, Any]) -> HttpResponse:
    from pairs.journal import services as journal

    if any(argument in URL_OBJECTS for argument in kwargs) and not _objects_all_in_platform(request, kwargs):
        raise Http404
    journal.log_permission_denied(request=request, rule_name=rule.name)
    raise PermissionDenied


def permission(rule: Rule) -> Callable[[Callable[..., ResponseT]], Callable[..., ResponseT | HttpResponse]]:
    """Declare and enforce the rule of a view."""

    def decorator(view: Callable[..., ResponseT]) -> Callable[..., ResponseT | HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> ResponseT | HttpResponse:
            if rule.access is not Access.PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request):
                return refuse(request, rule, kwargs)
            return view(request, *args, **kwargs)

        wrapped.pairs_permission = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def declared_rule(view: Any) -> Rule | None:
    view = getattr(view, "view_class", view)
    rule = getattr(view, "pairs_permission", None)
    return rule if isinstance(rule, Rule) else None
