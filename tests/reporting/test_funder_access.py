"""The funder's access audit: a funder reads aggregates, never a person. Every URL of the project is
walked (as in tests/platforms/test_isolation.py), its objects made in the funder's own platform: any
page outside the explicit ALLOWLIST must answer 403 or 404 to a funder, for GET and POST. A new URL is
covered automatically: if it opens for a funder, this test fails until it is refused or allowlisted."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter, SlugConverter

from pairs.platforms.models import Platform
from pairs.platforms.permissions import URL_OBJECTS
from pairs.platforms.roles import Role
from tests.platforms.test_isolation import NON_OBJECT_VALUES, OBJECT_MAKERS, iter_patterns

# What a funder may open: public pages, their own account, the home page, aggregated figures
# (dashboard, yearly reports, territory, impact overview), the agenda and the library.
ALLOWLIST = frozenset(
    {
        # Home, service pages
        "core:home",
        "core:healthz",
        "core:security_txt",
        "core:accessibility",
        # The retention periods, published for everyone
        "privacy:public_retention",
        "core:set_language",
        # Signing in and the funder's own account
        "accounts:login",
        "accounts:second_factor_verify",
        "accounts:magic_link_request",
        "accounts:magic_link_open",
        "accounts:password_forgotten",
        "accounts:password_set",
        "accounts:logout",
        "accounts:account",
        "accounts:password_change",
        "accounts:security",
        "accounts:reauthenticate",
        "accounts:switch_space",
        # Aggregated figures
        "reporting:dashboard",
        "reporting:reports",
        "reporting:report",
        "reporting:report_progress",
        "reporting:report_pdf",
        "reporting:report_xlsx",
        "reporting:territory",
        "observatory:impact",
        # The agenda and the library
        "events:agenda",
        "resources:library",
        "resources:document_download",
        # Public pages (anyone, signed in or not; a secret link names its own record)
        "support:request_choose",
        "support:request_form",
        "support:request_sent",
        "support:calendar_feed",
        "support:group_register",
        "plans:share_open",
        "observatory:answer",
        "observatory:answer_done",
        "events:public_agenda",
        "events:public_feed",
        "events:event_page",
        "events:registration",
        "events:certificate",
        "events:circle_join",
        "events:circle_leave",
        "resources:public_library",
        "resources:public_download",
        "resources:public_jobs",
        "notifications:demo_outbox",  # the demo's outbox: public, fictitious data, 404 outside the demo
    }
)

# The pages that must stay closed, whatever happens to the URL map (a sample of each kind of record).
MUST_BE_REFUSED = {
    "support:queue",
    "support:people",
    "support:person",
    "support:request",
    "support:meeting",
    "support:note",
    "support:groups",
    "peers:pool",
    "peers:detail",
    "peers:workload",
    "peers:interns",
    "partners:list",
    "partners:detail",
    "deployments:list",
    "deployments:detail",
    "plans:list",
    "plans:detail",
    "observatory:campaigns",
    "observatory:person_measures",
    "events:list",
    "events:detail",
    "events:attendance",
    "events:circle",
    "events:circle_member",
    "journal:list",
    "platforms:member_list",
    "platforms:member_detail",
    "reporting:narratives",
    "reporting:network",
}


def _arguments(pattern: URLPattern, platform: Platform) -> dict[str, Any]:
    """Values for the URL's arguments: objects of the funder's own platform (so a refusal is a 403,
    not a 404 for an unknown object), the platform's slug, harmless values for the rest."""
    kwargs: dict[str, Any] = {}
    for name, converter in pattern.pattern.converters.items():
        if name in URL_OBJECTS:
            kwargs[name] = OBJECT_MAKERS[name](platform)
        elif name in NON_OBJECT_VALUES:
            kwargs[name] = NON_OBJECT_VALUES[name]
        elif isinstance(converter, IntConverter):
            kwargs[name] = 2025
        elif isinstance(converter, SlugConverter):
            kwargs[name] = platform.slug
        else:
            kwargs[name] = "inconnu"
    return kwargs


def test_the_allowlist_names_existing_urls() -> None:
    names = {name for name, _pattern in iter_patterns()}
    assert names >= ALLOWLIST, sorted(ALLOWLIST - names)
    assert names >= MUST_BE_REFUSED, sorted(MUST_BE_REFUSED - names)
    assert not ALLOWLIST & MUST_BE_REFUSED


def test_a_funder_is_refused_everything_outside_the_allowlist(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.FUNDER, platform)
    assert isinstance(client, Client)
    opened: list[str] = []
    checked: set[str] = set()
    for name, pattern in iter_patterns():
        if name in ALLOWLIST:
            continue
        url = reverse(name, kwargs=_arguments(pattern, platform))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (403, 404):
                opened.append(f"{method.upper()} {name} {url} -> {status}")
        checked.add(name)
    assert not opened, "A funder reaches these pages: refuse them, or allowlist them if they hold no personal data"
    assert checked >= MUST_BE_REFUSED


def test_a_funder_opens_the_aggregated_pages(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.FUNDER, platform)
    for name in ("core:home", "reporting:dashboard", "observatory:impact", "events:agenda", "resources:library"):
        assert client.get(reverse(name)).status_code == 200, name


def test_a_refusal_is_a_403_for_records_of_the_funders_own_platform(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.FUNDER, platform)
    person_id = OBJECT_MAKERS["person_id"](platform)
    assert client.get(reverse("support:person", kwargs={"person_id": person_id})).status_code == 403
    assert client.get(reverse("support:people")).status_code == 403
