from __future__ import annotations

from datetime import UTC, date, timedelta

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from pairs.journal import selectors as journal_selectors
from pairs.peers.selectors import objects as peer_objects
from pairs.peers.selectors.activity import IndicatorRow
from pairs.peers.selectors.workload import weekly_indicators
from pairs.platforms import selectors as platform_selectors
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.roles import Role

from . import policies


@permission(policies.HOME)
@require_GET
def home(request: PlatformRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"platforms": platform_selectors.network_platforms()})
    membership = request.membership
    if membership is None:
        return render(request, "core/home_no_space.html")
    platform = membership.platform
    context: dict[str, object] = {"platform": platform}
    if membership.role == Role.COORDINATOR:
        week_ago = timezone.now() - timedelta(days=7)
        recent = journal_selectors.journal_for_platform(platform)
        counts = platform_selectors.role_counts(platform)
        context.update(
            role_cards=[(role.value, role.label, counts[role.value]) for role in Role],
            recent_entries=recent[:8],
            entries_this_week=recent.filter(created_at__gte=week_ago).count(),
        )
        alerts = weekly_indicators(platform, timezone.localdate())
        context["workload_alerts"] = sum(len(item.alerts) for item in alerts.values())
    elif membership.role == Role.PEER_WORKER:
        profile = peer_objects.own_profile_or_none(request)
        context["profile"] = profile
        if profile is not None:
            week = weekly_indicators(platform, timezone.localdate(), profile_ids=[profile.pk]).get(profile.pk)
            context["week"] = IndicatorRow(week) if week is not None else None
    elif membership.role == Role.FUNDER:
        context["counts"] = platform_selectors.role_counts(platform)
    elif membership.role == Role.NETWORK_ADMIN:
        context["platforms"] = platform_selectors.network_platforms()
    return render(request, f"core/home_{membership.role}.html", context)


@permission(policies.HEALTH)
@never_cache
@require_GET
def healthz(request: PlatformRequest) -> JsonResponse:
    checks = {"database": "ok", "job_queue": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        checks["database"] = "unreachable"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")
            (waiting,) = cursor.fetchone()
        checks["jobs_waiting"] = waiting
    except Exception:
        checks["job_queue"] = "unreachable"
    healthy = checks["database"] == "ok" and checks["job_queue"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@permission(policies.LANGUAGE)
@require_POST
def set_language(request: PlatformRequest) -> HttpResponse:
    return django_set_language(request)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


# ---- security.txt (RFC 9116) and the accessibility statement (RGAA)

SECURITY_TXT_LIFETIME = timedelta(days=365)
# The day the accessibility statement was written or last reviewed.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 23)


def security_contact() -> str:
    """PAIRS_SECURITY_CONTACT as a security.txt Contact URI: an e-mail address becomes a mailto: URI."""
    contact = str(getattr(settings, "PAIRS_SECURITY_CONTACT", "") or "").strip()
    if contact and "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    return contact


@permission(policies.SECURITY_TXT)
@require_GET
def security_txt(request: PlatformRequest) -> HttpResponse:
    contact = security_contact()
    if not contact:  # Contact is mandatory: no file rather than a made-up address
        raise Http404
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).astimezone(UTC).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {settings.SITE_URL}{reverse('core:security_txt')}",
    ]
    return HttpResponse("".join(line + "\n" for line in lines), content_type="text/plain; charset=utf-8")


@permission(policies.ACCESSIBILITY)
@require_GET
def accessibility(request: PlatformRequest) -> HttpResponse:
    platforms = platform_selectors.network_platforms().exclude(contact_email="", contact_phone="")
    return render(
        request,
        "core/accessibility.html",
        {"platforms": platforms, "statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )
