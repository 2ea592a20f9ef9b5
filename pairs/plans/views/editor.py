"""Writing the plan with autosaved sections, finalising frozen versions, comparing them,
facilitation sessions, crises, the list and settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.roles import Role
from pairs.support import selectors as support_selectors

from .. import policies, sections, selectors
from ..forms.editor import (
    CompareForm,
    CrisisForm,
    FinaliseForm,
    PlanSettingsForm,
    SectionForm,
    SessionForm,
    StartForm,
)
from ..models import CrisisPlan, PlanStatus, PlanVersion
from ..selectors import editor as reads
from ..services import editor as writes
from . import sharing

PAGE_SIZE = 50


def _plan_url(plan: CrisisPlan, anchor: str = "") -> str:
    url = reverse("plans:detail", kwargs={"plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _edit_url(plan: CrisisPlan, anchor: str = "") -> str:
    url = reverse("plans:edit", kwargs={"plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def _is_htmx(request: PlatformRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _error_messages(request: PlatformRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _refused_when_read_only(request: PlatformRequest, plan: CrisisPlan) -> HttpResponse | None:
    """Nobody writes a revoked plan (the roles that never write are refused by the policy)."""
    if selectors.can_write(request, plan):
        return None
    messages.warning(request, _("Ce plan est révoqué : il ne peut plus être modifié."))
    return redirect(_plan_url(plan))


def _log_reading(request: PlatformRequest, plan: CrisisPlan, *versions: PlanVersion | None) -> None:
    """Every reading of the content by someone else than the person is journaled."""
    if selectors.is_owner(request, plan):
        return
    for version in versions:
        if version is not None:
            journal.log_view(request=request, obj=version)


def _signer_name(request: PlatformRequest, plan: CrisisPlan) -> str:
    """The person confirms under their pseudonym; a peer worker under their name."""
    if selectors.is_owner(request, plan):
        return plan.person.pseudonym
    return request.user.display_name


# ---- The list


@permission(policies.PLAN)
def plan_list(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.membership is not None and request.membership.role == Role.PERSON:
        return redirect("plans:mine")
    status = request.GET.get("etat", "")
    status = status if status in PlanStatus.values else ""
    page = Paginator(reads.plan_list(request, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": PlanStatus.choices,
        "coordinator": _is_coordinator(request),
        "query": f"etat={status}" if status else "",
    }
    return render(request, "plans/plan_list.html", context)


# ---- Settings


@permission(policies.PLAN_SETTINGS)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    current = reads.plan_settings_for(request.platform.pk)
    initial = {"review_months": current.review_months, "share_days": current.share_days}
    form = PlanSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            writes.plan_settings_save(request=request, platform=request.platform, **form.settings_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Les réglages des plans de crise sont enregistrés."))
            return redirect("plans:settings")
    return render(request, "plans/settings.html", {"form": form})


# ---- The person's own plan


@permission(policies.PLAN)
def my_plan(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if request.membership is None or request.membership.role != Role.PERSON:
        return redirect("plans:list")
    person = support_selectors.own_person(request)
    plan = None
    if person is not None:
        plan = reads.own_plan(request)
    if plan is not None:
        return redirect(_plan_url(plan))
    return render(request, "plans/my_plan_none.html", {"person": person})


# ---- Opening a plan


@permission(policies.PLAN_START)
def plan_start(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = support_selectors.get_person_for(request, person_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    existing = reads.current_plan_of(person)
    if existing is not None:
        return redirect(_plan_url(existing))
    deployments = reads.deployment_choices(request.platform)
    form = StartForm(request.POST if request.method == "POST" else None, deployments=deployments)
    if request.method == "POST" and form.is_valid():
        peer = selectors.own_peer_profile(request)
        try:
            plan, created = writes.plan_start(
                request=request, person=person, facilitator=peer, deployment=form.cleaned_data["deployment"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if created:
                messages.success(request, _("Le plan de crise est ouvert. Il appartient à la personne."))
            if peer is not None:
                return redirect(_edit_url(plan))
            return redirect(_plan_url(plan))
    return render(request, "plans/plan_start.html", {"person": person, "form": form})


# ---- The plan's page


def _detail(
    request: PlatformRequest,
    plan: CrisisPlan,
    *,
    session_form: SessionForm | None = None,
    crisis_form: CrisisForm | None = None,
) -> HttpResponse:
    owner = selectors.is_owner(request, plan)
    writable = selectors.can_write(request, plan)
    readable = selectors.can_read_content(request, plan)
    versions = reads.finalised_versions(plan)
    latest = versions[0] if versions else None
    draft = reads.draft_of(plan) if writable or owner else None
    content = reads.content_of(latest) if readable and latest is not None else {}
    draft_content = reads.content_of(draft) if draft is not None else {}
    if not owner:
        journal.log_view(request=request, obj=plan)
    if readable and latest is not None:
        _log_reading(request, plan, latest)
    peer = selectors.own_peer_profile(request)
    revoked = plan.revoked_at is not None
    if session_form is None and peer is not None and writable:
        session_form = SessionForm(communes=reads.commune_choices(request.platform))
    if crisis_form is None and not revoked:
        crisis_form = CrisisForm()
    context: dict[str, Any] = {
        "plan": plan,
        "owner": owner,
        "can_write": writable,
        "can_read": readable,
        "coordinator": _is_coordinator(request),
        "versions": versions,
        "latest": latest,
        "sections": reads.shown_sections(content) if content else [],
        "unreadable": content is None or draft_content is None,
        "not_binding": sections.NOT_BINDING,
        "draft": draft,
        "draft_filled": reads.filled_count(draft_content) if draft_content else 0,
        "section_total": len(sections.SECTIONS),
        "can_finalise": writable and draft is not None and bool(draft_content),
        "can_compare": readable and len(versions) >= 2,
        "sessions": reads.sessions_of(plan),
        "crises": reads.crises_of(plan),
        "session_form": session_form if peer is not None and writable else None,
        "crisis_form": crisis_form if not revoked else None,
        "revoked": revoked,
    }
    context.update(sharing.shares_context(request, plan))
    return render(request, "plans/plan_detail.html", context)


def _team_share(request: PlatformRequest, plan: CrisisPlan) -> HttpResponse:
    """The person lets the platform team read their plan, or stops it."""
    if not selectors.is_owner(request, plan) or request.POST.get("action") != "team_share":
        journal.log_permission_denied(request=request, rule_name="plans.team_share_owner")
        raise PermissionDenied
    shared = request.POST.get("team_share") == "on"
    try:
        changed = writes.team_share_set(request=request, plan=plan, shared=shared)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if changed and shared:
            messages.success(request, _("L'équipe de la plateforme peut maintenant lire les versions finalisées."))
        elif changed:
            messages.success(request, _("L'équipe de la plateforme ne peut plus lire votre plan."))
    return redirect(_plan_url(plan, "equipe"))


@permission(policies.PLAN)
def plan_detail(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method == "POST":
        return _team_share(request, plan)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _detail(request, plan)


# ---- Writing


def _entry(section: sections.Section, content: dict[str, Any], form: SectionForm | None = None) -> dict[str, Any]:
    return {
        "section": section,
        "form": form or SectionForm(section=section, content=content),
        "filled": sections.is_filled(content, section),
    }


def _editor(
    request: PlatformRequest, plan: CrisisPlan, *, bound: SectionForm | None = None, status: int = 200
) -> HttpResponse:
    draft = reads.draft_of(plan)
    source = draft if draft is not None else reads.latest_finalised(plan)
    content = reads.content_of(source)
    if content is None:
        messages.error(request, _("Le contenu du plan ne peut pas être affiché pour l'instant. Contactez l'équipe."))
        return redirect(_plan_url(plan))
    _log_reading(request, plan, source)
    entries = [
        _entry(s, content, bound if bound is not None and bound.section.key == s.key else None)
        for s in sections.SECTIONS
    ]
    context = {
        "plan": plan,
        "owner": selectors.is_owner(request, plan),
        "entries": entries,
        "draft": draft,
        "source": source,
        "filled": reads.filled_count(content),
        "section_total": len(sections.SECTIONS),
        "not_binding": sections.NOT_BINDING,
    }
    return render(request, "plans/plan_edit.html", context, status=status)


@permission(policies.PLAN_WRITE)
def plan_edit(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    refused = _refused_when_read_only(request, plan)
    if refused is not None:
        return refused
    return _editor(request, plan)


def _section_fragment(
    request: PlatformRequest, plan: CrisisPlan, form: SectionForm, *, saved: bool, error: str = ""
) -> HttpResponse:
    draft = reads.draft_of(plan)
    entry = {"section": form.section, "form": form, "filled": False}
    context = {
        "plan": plan,
        "entry": entry,
        "saved_at": reads.local_time(draft.saved_at) if saved and draft is not None else None,
        "error": error,
    }
    return render(request, "plans/_section_form.html", context)


@permission(policies.PLAN_WRITE)
def section_save(request: PlatformRequest, plan_id: int, section: str) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    part = sections.BY_KEY.get(section)
    if part is None:
        raise Http404
    if request.method == "GET":
        return redirect(_edit_url(plan, part.key))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    htmx = _is_htmx(request)
    form = SectionForm(request.POST, section=part)
    if not selectors.can_write(request, plan):
        if htmx:
            return _section_fragment(request, plan, form, saved=False, error=_("Pas enregistré : ce plan est révoqué."))
        return _refused_when_read_only(request, plan) or redirect(_plan_url(plan))
    if not form.is_valid():
        if htmx:
            message = _("Pas encore enregistré : un texte est trop long. Raccourcissez-le, puis enregistrez.")
            return _section_fragment(request, plan, form, saved=False, error=message)
        messages.error(request, _("Cette partie n'est pas enregistrée : corrigez le champ signalé."))
        return _editor(request, plan, bound=form)
    try:
        writes.section_save(request=request, plan=plan, section=part, data=form.section_data())
    except ValidationError as error:
        if htmx:
            return _section_fragment(request, plan, form, saved=False, error=" ".join(error.messages))
        _error_messages(request, error)
        return redirect(_plan_url(plan))
    if htmx:
        return _section_fragment(request, plan, form, saved=True)
    messages.success(request, _("« %(title)s » est enregistré.") % {"title": part.title})
    return redirect(_edit_url(plan, part.key))


# ---- Finalising


@permission(policies.PLAN_WRITE)
def plan_finalise(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    refused = _refused_when_read_only(request, plan)
    if refused is not None:
        return refused
    draft = reads.draft_of(plan)
    if draft is None:
        messages.info(request, _("Il n'y a rien de nouveau à finaliser : modifiez d'abord le plan."))
        return redirect(_plan_url(plan))
    form = FinaliseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = writes.plan_finalise(
                request=request,
                plan=plan,
                user=request.user,
                place=form.cleaned_data["place"],
                is_owner=selectors.is_owner(request, plan),
                name=_signer_name(request, plan),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _(
                    "La version %(number)s est finalisée. Elle ne changera plus : "
                    "une modification crée un nouveau brouillon."
                )
                % {"number": version.number},
            )
            return redirect("plans:version", plan_id=plan.pk, version_id=version.pk)
    content = reads.content_of(draft)
    _log_reading(request, plan, draft)
    latest = reads.latest_finalised(plan)
    context = {
        "plan": plan,
        "form": form,
        "sections": reads.shown_sections(content) if content else [],
        "unreadable": content is None,
        "empty": content == {},
        "not_binding": sections.NOT_BINDING,
        "next_number": (latest.number or 0) + 1 if latest is not None else 1,
        "owner": selectors.is_owner(request, plan),
    }
    return render(request, "plans/plan_finalise.html", context)


# ---- Versions


@permission(policies.PLAN)
def version_detail(request: PlatformRequest, plan_id: int, version_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    version = reads.get_version_for(plan, version_id)
    if request.method == "POST":
        return _version_confirm(request, plan, version)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    readable = selectors.can_read_content(request, plan)
    content = reads.content_of(version) if readable else {}
    if readable:
        _log_reading(request, plan, version)
    else:
        journal.log_view(request=request, obj=plan)
    signatures = reads.signatures_of(version)
    latest = reads.latest_finalised(plan)
    can_confirm = (
        selectors.can_write(request, plan)
        and latest is not None
        and latest.pk == version.pk
        and all(signature.user_id != request.user.pk for signature in signatures)
    )
    context = {
        "plan": plan,
        "version": version,
        "can_read": readable,
        "sections": reads.shown_sections(content) if content else [],
        "unreadable": content is None,
        "signatures": signatures,
        "can_confirm": can_confirm,
        "is_latest": latest is not None and latest.pk == version.pk,
        "not_binding": sections.NOT_BINDING,
        "owner": selectors.is_owner(request, plan),
    }
    return render(request, "plans/version_detail.html", context)


def _version_confirm(request: PlatformRequest, plan: CrisisPlan, version: PlanVersion) -> HttpResponse:
    writer = request.membership is not None and request.membership.role in (Role.PERSON, Role.PEER_WORKER)
    if request.POST.get("action") != "confirm" or not writer:
        journal.log_permission_denied(request=request, rule_name="plans.version_confirm")
        raise PermissionDenied
    try:
        writes.version_confirm(
            request=request,
            version=version,
            user=request.user,
            is_owner=selectors.is_owner(request, plan),
            name=_signer_name(request, plan),
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Votre confirmation est enregistrée."))
    return redirect("plans:version", plan_id=plan.pk, version_id=version.pk)


@permission(policies.PLAN)
def version_compare(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    readable = selectors.can_read_content(request, plan)
    numbers = reads.version_numbers(plan)
    ordered = sorted(numbers)
    default = {"a": ordered[-2], "b": ordered[-1]} if len(ordered) >= 2 else {}
    data = request.GET if "a" in request.GET or "b" in request.GET else default or None
    form = CompareForm(data, numbers=numbers)
    compared: list[reads.ComparedSection] = []
    before = after = None
    unreadable = False
    if readable and len(numbers) >= 2 and form.is_valid():
        before = reads.version_by_number(plan, form.cleaned_data["a"])
        after = reads.version_by_number(plan, form.cleaned_data["b"])
        old, new = reads.content_of(before), reads.content_of(after)
        if old is None or new is None:
            unreadable = True
        else:
            compared = reads.compare(old, new)
        _log_reading(request, plan, before, after)
    elif not readable:
        journal.log_view(request=request, obj=plan)
    context = {
        "plan": plan,
        "form": form,
        "can_read": readable,
        "enough": len(numbers) >= 2,
        "before": before,
        "after": after,
        "compared": compared,
        "changed_count": sum(1 for s in compared if s.changed),
        "unreadable": unreadable,
        "owner": selectors.is_owner(request, plan),
    }
    return render(request, "plans/version_compare.html", context)


# ---- Facilitation sessions and crises


@permission(policies.PLAN_WRITE)
def session_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method == "GET":
        return redirect(_plan_url(plan, "seances"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    peer = selectors.own_peer_profile(request)
    if peer is None:
        journal.log_permission_denied(request=request, rule_name="plans.session_peer_worker")
        raise PermissionDenied
    refused = _refused_when_read_only(request, plan)
    if refused is not None:
        return refused
    form = SessionForm(request.POST, communes=reads.commune_choices(request.platform))
    if form.is_valid():
        try:
            session = writes.session_add(request=request, plan=plan, peer=peer, **form.session_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("La séance du %(day)s est notée, et ajoutée à votre journal d'activité.")
                % {"day": formats.date_format(session.held_on, "j F Y")},
            )
            return redirect(_plan_url(plan, "seances"))
    return _detail(request, plan, session_form=form)


@permission(policies.PLAN)
def crisis_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_plan_for(request, plan_id)
    if request.method == "GET":
        return redirect(_plan_url(plan, "crises"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if plan.revoked_at is not None:
        messages.warning(request, _("Ce plan est révoqué : on n'y note plus de crise."))
        return redirect(_plan_url(plan, "crises"))
    form = CrisisForm(request.POST)
    if form.is_valid():
        try:
            writes.crisis_add(
                request=request,
                plan=plan,
                occurred_on=form.cleaned_data["occurred_on"],
                plan_used=form.cleaned_data["plan_used"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("La crise est notée. Une relecture du plan est proposée à partir d'aujourd'hui.")
            )
            return redirect(_plan_url(plan, "crises"))
    return _detail(request, plan, crisis_form=form)
