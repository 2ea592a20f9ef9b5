"""The intervision circle: the coordination's list of members; joining from a public page with consent,
and leaving through the member's personal link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.core import ratelimit
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies, selectors
from ..forms.circle import InviteForm, JoinForm, MemberFilterForm
from ..models import CircleMember
from ..selectors import circle as reads
from ..services import circle as writes

PAGE_SIZE = 50
# Sent join forms per client address and hour (the form itself can be shown and corrected freely).
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600
THANKS = "merci"


def _join_url(request: PlatformRequest, platform: Platform) -> str:
    return request.build_absolute_uri(reverse("events:circle_join", kwargs={"platform_slug": platform.slug}))


# ---- The coordination


@permission(policies.CIRCLE_MANAGE)
def member_list(request: PlatformRequest) -> HttpResponse:
    """Active members (or those who left), the link to share, the intervisions to invite the circle to."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        return _invite(request)
    filters = MemberFilterForm(request.GET)
    state = filters.state()
    page = Paginator(reads.members(request.platform, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "state": state,
        "left": state == reads.LEFT,
        "page": page,
        "members": list(page.object_list),
        "counts": reads.member_counts(request.platform),
        "join_url": _join_url(request, request.platform),
        "events": list(reads.upcoming_intervisions(request.platform, now=timezone.now())),
        "query": f"etat={state}",
    }
    return render(request, "events/circle_list.html", context)


def _invite(request: PlatformRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise Http404
    event = selectors.get_event_for(request, form.cleaned_data["event"])
    try:
        count = writes.circle_invite(request=request, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            text = ngettext("%(count)s invitation envoyée.", "%(count)s invitations envoyées.", count)
            messages.success(request, text % {"count": count})
        else:
            messages.info(request, _("Le cercle n'a aucun membre actif : aucune invitation n'est envoyée."))
    return redirect("events:circle")


@permission(policies.CIRCLE_MANAGE)
def member_detail(request: PlatformRequest, member_id: int) -> HttpResponse:
    """A member and the intervisions they attended (attendance only); the coordination may remove them."""
    member = selectors.get_member_for(request, member_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        if request.POST.get("action") != "remove":
            messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
            return redirect("events:circle_member", member_id=member.pk)
        was_active = member.active
        writes.circle_leave(request=request, member=member)
        if was_active:
            messages.success(request, _("%(name)s ne fait plus partie du cercle.") % {"name": str(member)})
        return redirect("events:circle_member", member_id=member.pk)
    journal.log_view(request=request, obj=member)
    context = {"member": member, "attendance": reads.member_attendance(member)}
    return render(request, "events/circle_member.html", context)


# ---- Public pages: joining, leaving


@permission(policies.CIRCLE_JOIN)
def join(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    platform = reads.public_platform(platform_slug)
    # A visitor may be signed in to another platform: read and write in the chosen platform's scope.
    with platform_scope(platform.pk):
        if request.method == "GET" and THANKS in request.GET:
            return render(request, "events/circle_join.html", {"platform": platform, "joined": True})
        form = JoinForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if form.is_spam():  # a robot: pretend it worked
                _rate_limit(request)
                return _thanks(platform)
            if form.is_valid():
                _rate_limit(request)
                try:
                    writes.circle_join(request=request, platform=platform, **form.service_data())
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    return _thanks(platform)
        response = render(request, "events/circle_join.html", {"platform": platform, "form": form, "joined": False})
    if request.method == "POST":
        add_never_cache_headers(response)  # the page repeats what was typed
    return response


def _rate_limit(request: PlatformRequest) -> None:
    ratelimit.check(request, "circle-join", limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)


def _thanks(platform: Platform) -> HttpResponse:
    url = reverse("events:circle_join", kwargs={"platform_slug": platform.slug})
    return redirect(f"{url}?{THANKS}=1")


def _member_by_token(member_token: str) -> CircleMember:
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the member
        member = reads.member_by_token(member_token)
    if member is None:
        raise Http404
    return member


@permission(policies.CIRCLE_JOIN)
def leave(request: PlatformRequest, member_token: str) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    member = _member_by_token(member_token)
    with platform_scope(member.platform_id):
        if request.method == "POST":
            was_active = member.active
            writes.circle_leave(request=request, member=member)
            if was_active:
                messages.success(request, _("Vous avez quitté le cercle."))
            return redirect("events:circle_leave", member_token=member.token)
        context = {
            "member": member,
            "platform": member.platform,
            "join_url": reverse("events:circle_join", kwargs={"platform_slug": member.platform.slug}),
        }
        return render(request, "events/circle_leave.html", context)
