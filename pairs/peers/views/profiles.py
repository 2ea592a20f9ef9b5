"""The pool of peer workers (vivier): the list, adding a worker, a profile, the coordination's
contract edit, the worker's own profile and availability, "who is available?", the settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..forms.profiles import (
    AbsenceForm,
    AvailabilityForm,
    ContractForm,
    FreeSearchForm,
    OwnProfileForm,
    PeerCreateForm,
    PoolFilterForm,
    PoolSettingsForm,
    SkillForm,
)
from ..selectors import objects
from ..selectors import profiles as selectors
from ..services import profiles as services

PAGE_SIZE = 50


def _query_without_page(request: PlatformRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@permission(policies.POOL_LIST)
@require_GET
def pool_list(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = PoolFilterForm(request.GET or None, platform=request.platform)
    profiles = selectors.pool_list(request.platform, today=today, **filters.filters())
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.pool_rows(request.platform, list(page.object_list), today)
    context = {"filters": filters, "page": page, "rows": rows, "query": _query_without_page(request)}
    return render(request, "peers/profiles/pool_list.html", context)


@permission(policies.PEER_CREATE)
@require_http_methods(["GET", "POST"])
def peer_create(request: PlatformRequest) -> HttpResponse:
    form = PeerCreateForm(request.POST or None, platform=request.platform, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.peer_create(request=request, platform=request.platform, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s est ajouté·e au vivier. L'invitation part par e-mail.")
                % {"name": profile.membership.user.display_name},
            )
            return redirect("peers:detail", profile_id=profile.pk)
    return render(request, "peers/profiles/peer_create.html", {"form": form})


@permission(policies.FREE_SEARCH)
@require_GET
def free_search(request: PlatformRequest) -> HttpResponse:
    form = FreeSearchForm(request.GET or None, platform=request.platform)
    search = page = None
    if form.is_valid():
        search = selectors.free_search(request.platform, today=timezone.localdate(), **form.cleaned_data)
        page = Paginator(search.results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "search": search, "page": page, "query": _query_without_page(request)}
    return render(request, "peers/profiles/free_search.html", context)


@permission(policies.PEER_VIEW)
def peer_detail(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    journal.log_view(request=request, obj=profile)
    today = timezone.localdate()
    context = {
        "profile": profile,
        "is_own": request.membership is not None and profile.membership_id == request.membership.pk,
        "is_active": profile.is_active_on(today),
        "has_left": profile.status_end is not None and profile.status_end < today,
        "skills": list(profile.skills.all()),
        "zones": list(profile.zones.all()),
        "pattern": selectors.availability_pattern(profile),
        "absences": selectors.upcoming_absences(profile, today, limit=10),
    }
    return render(request, "peers/profiles/peer_detail.html", context)


@permission(policies.PEER_EDIT_CONTRACT)
def peer_edit_contract(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ContractForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.peer_update_contract(request=request, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Les changements sont enregistrés.") if changed else _("Rien n'a changé."))
            return redirect("peers:detail", profile_id=profile.pk)
    context = {"form": form, "profile": profile, "zones": list(profile.zones.all())}
    return render(request, "peers/profiles/peer_edit_contract.html", context)


@permission(policies.PEER_EDIT_OWN)
@require_http_methods(["GET", "POST"])
def my_profile_edit(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    posted = request.method == "POST"
    form = OwnProfileForm(request.POST if posted else None, request.FILES if posted else None, profile=profile)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.peer_update_own(
                request=request,
                profile=profile,
                presentation=data["presentation"],
                languages=data["languages"],
                background=data["background"],
                experiential_themes=data["experiential_themes"],
                skills=data["skills"],
                photo=data["photo"],
                remove_photo=data.get("remove_photo", False),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Votre fiche est enregistrée.") if changed else _("Rien n'a changé."))
            return redirect("peers:detail", profile_id=profile.pk)
    return render(request, "peers/profiles/my_profile.html", {"form": form, "profile": profile})


@permission(policies.PEER_EDIT_OWN)
@require_http_methods(["GET", "POST"])
def my_availability(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    pattern = AvailabilityForm(request.POST if which == "pattern" else None, current=selectors.slot_values(profile))
    absence = AbsenceForm(request.POST if which == "absence" else None)
    if which == "pattern" and pattern.is_valid():
        services.availability_set_pattern(profile=profile, slots=pattern.slot_values())
        messages.success(request, _("Vos disponibilités habituelles sont enregistrées."))
        return redirect("peers:my_availability")
    if which == "absence" and absence.is_valid():
        try:
            services.availability_absence_add(request=request, profile=profile, **absence.cleaned_data)
        except ValidationError as error:
            absence.add_service_error(error)
        else:
            messages.success(request, _("L'indisponibilité est enregistrée."))
            return redirect("peers:my_availability")
    context = {
        "profile": profile,
        "pattern": pattern,
        "absence_form": absence,
        "absences": selectors.upcoming_absences(profile, timezone.localdate()),
    }
    return render(request, "peers/profiles/my_availability.html", context)


@permission(policies.PEER_EDIT_OWN)
def my_absence_delete(request: PlatformRequest, exception_id: int) -> HttpResponse:
    absence = objects.get_own_absence(request, exception_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.availability_absence_delete(request=request, absence=absence)
    messages.success(request, _("L'indisponibilité est supprimée."))
    return redirect("peers:my_availability")


@permission(policies.POOL_SETTINGS)
@require_http_methods(["GET", "POST"])
def pool_settings(request: PlatformRequest) -> HttpResponse:
    platform = request.platform
    which = request.POST.get("form", "") if request.method == "POST" else ""
    thresholds = PoolSettingsForm(
        request.POST if which == "thresholds" else None, current=selectors.pool_settings_of(platform)
    )
    skill = SkillForm(request.POST if which == "skill" else None)
    try:
        if which == "thresholds" and thresholds.is_valid():
            services.pool_settings_update(request=request, platform=platform, **thresholds.cleaned_data)
            messages.success(request, _("Les seuils d'alerte sont enregistrés."))
            return redirect("peers:settings")
        if which == "skill" and skill.is_valid():
            services.skill_add(request=request, platform=platform, name=skill.cleaned_data["name"])
            messages.success(request, _("La compétence est ajoutée au catalogue."))
            return redirect("peers:settings")
    except ValidationError as error:
        (thresholds if which == "thresholds" else skill).add_service_error(error)
    context = {"thresholds": thresholds, "skill_form": skill, "skills": selectors.skills_with_counts(platform)[:300]}
    return render(request, "peers/profiles/pool_settings.html", context)


@permission(policies.PEER_VIEW)
def peer_photo(request: PlatformRequest, profile_id: int) -> FileResponse:
    """The photo, only for those who may see the profile (never a public file URL)."""
    profile = objects.get_profile_for(request, profile_id)
    if request.method not in ("GET", "HEAD") or not profile.photo:
        raise Http404
    content_type = "image/png" if (profile.photo.name or "").lower().endswith(".png") else "image/jpeg"
    response = FileResponse(profile.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
