"""Support groups: sessions, registrations with a waiting list, attendance, the public registration link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.core import ratelimit
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies, selectors
from ..forms.groups import (
    AttendanceForm,
    GroupForm,
    PublicRegistrationForm,
    RegisterPersonForm,
    SessionForm,
    UnregisterForm,
)
from ..models import Group, GroupRegistration, Person, RegistrationStatus
from ..selectors import groups as reads
from ..services import groups as writes

# The confirmation of a public registration travels in the address, signed: status and position only.
CONFIRMATION_SALT = "pairs.support.group_register"
CONFIRMATION_MAX_AGE = 3600


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_groups.html)."""
    return {
        "group_registrations": reads.person_registrations(person, viewer=selectors.own_peer_profile(request)),
        "groups_coordinator": selectors.is_coordinator(request),
    }


def _group_url(group: Group, anchor: str = "") -> str:
    url = reverse("support:group", kwargs={"group_id": group.pk})
    return f"{url}#{anchor}" if anchor else url


def _group_form(request: PlatformRequest, group: Group | None) -> GroupForm:
    today = timezone.localdate()
    initial: dict[str, Any] = {}
    if group is not None:
        initial = {
            "theme": group.theme,
            "description": group.description,
            "facilitators": [peer.pk for peer in group.facilitators.all()],
            "mode": group.mode,
            "place": group.place_id,
            "schedule": group.schedule,
            "capacity": group.capacity,
            "active": group.active,
        }
    return GroupForm(
        request.POST if request.method == "POST" else None,
        facilitators=reads.facilitator_choices(request.platform, day=today, group=group),
        places=reads.place_choices(request.platform, group),
        initial=initial,
    )


def _render_group_form(request: PlatformRequest, form: GroupForm, group: Group | None) -> HttpResponse:
    return render(request, "support/group_form.html", {"form": form, "group": group})


# ---- The list, and a new group


@permission(policies.GROUPS)
def group_list(request: PlatformRequest) -> HttpResponse:
    """Coordinators: every group, and a new one. Peer workers: the groups they facilitate."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    coordinator = selectors.is_coordinator(request)
    creating = request.method == "POST" or "nouveau" in request.GET
    if creating:
        if not coordinator:
            raise PermissionDenied
        form = _group_form(request, None)
        if request.method == "POST" and form.is_valid():
            try:
                group = writes.group_create(request=request, platform=request.platform, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Le groupe « %(theme)s » est créé.") % {"theme": group.theme})
                return redirect(_group_url(group))
        return _render_group_form(request, form, None)
    groups = list(reads.group_list(request))
    return render(request, "support/group_list.html", {"groups": groups, "coordinator": coordinator})


# ---- One group


def _public_url(request: PlatformRequest, group: Group) -> str:
    return request.build_absolute_uri(
        reverse("support:group_register", kwargs={"group_token": group.registration_token})
    )


def _group_page(
    request: PlatformRequest,
    group: Group,
    *,
    register_form: RegisterPersonForm | None = None,
    session_form: SessionForm | None = None,
) -> HttpResponse:
    journal.log_view(request=request, obj=group)
    coordinator = selectors.is_coordinator(request)
    context = {
        "group": group,
        "page": reads.group_page(group),
        "coordinator": coordinator,
        "register_form": register_form or RegisterPersonForm(people=reads.registrable_people(request, group)),
        "session_form": session_form or SessionForm(),
        "public_url": _public_url(request, group),
        "now": timezone.now(),
    }
    return render(request, "support/group_detail.html", context)


@permission(policies.GROUPS)
def group_detail(request: PlatformRequest, group_id: int) -> HttpResponse:
    group = reads.get_group_for(request, group_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    coordinator = selectors.is_coordinator(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if "modifier" in request.GET or action == "edit":
        if not coordinator:
            raise PermissionDenied
        return _group_edit(request, group)
    if action == "register":
        return _register(request, group)
    if action == "unregister":
        return _unregister(request, group)
    if action == "session":
        return _session_add(request, group)
    if action == "rotate":
        if not coordinator:
            raise PermissionDenied
        writes.group_token_rotate(request=request, group=group)
        messages.success(request, _("Le lien d'inscription est renouvelé : l'ancien ne fonctionne plus."))
        return redirect(_group_url(group, "inscription-en-ligne"))
    if request.method == "POST":
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return redirect(_group_url(group))
    return _group_page(request, group)


def _group_edit(request: PlatformRequest, group: Group) -> HttpResponse:
    form = _group_form(request, group)
    if request.method == "POST" and form.is_valid():
        try:
            writes.group_update(request=request, group=group, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Le groupe est enregistré."))
            return redirect(_group_url(group))
    return _render_group_form(request, form, group)


def _register(request: PlatformRequest, group: Group) -> HttpResponse:
    form = RegisterPersonForm(request.POST, people=reads.registrable_people(request, group))
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            registration = writes.registration_add(request=request, group=group, person=person)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if registration.status == RegistrationStatus.REGISTERED:
                text = _("%(name)s est inscrit·e au groupe.")
            else:
                text = _("Le groupe est complet : %(name)s est sur la liste d'attente.")
            messages.success(request, text % {"name": person.pseudonym})
            return redirect(_group_url(group, "inscriptions"))
    return _group_page(request, group, register_form=form)


def _unregister(request: PlatformRequest, group: Group) -> HttpResponse:
    form = UnregisterForm(request.POST)
    if not form.is_valid():
        raise Http404
    registration = reads.get_registration_for(group, form.cleaned_data["registration"])
    name = reads.registration_name(registration)
    try:
        promoted = writes.registration_cancel(request=request, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s n'est plus inscrit·e.") % {"name": name})
        for moved in promoted:
            messages.info(
                request,
                _("%(name)s quitte la liste d'attente et prend la place libérée.")
                % {"name": reads.registration_name(moved)},
            )
    return redirect(_group_url(group, "inscriptions"))


def _session_add(request: PlatformRequest, group: Group) -> HttpResponse:
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            writes.session_add(request=request, group=group, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("La séance est ajoutée."))
            return redirect(_group_url(group, "seances"))
    return _group_page(request, group, session_form=form)


# ---- Attendance


@permission(policies.GROUPS)
def session_attendance(request: PlatformRequest, group_session_id: int) -> HttpResponse:
    """Coordinators and the group's facilitators tick who came."""
    session = reads.get_session_for(request, group_session_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    group = session.group
    initial = {"attendees": list(session.attendees.values_list("pk", flat=True)), "held": session.held}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        registrations=reads.attendance_choices(session),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            writes.session_attendance_save(request=request, session=session, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect(_group_url(group, "seances"))
    context = {"session": session, "group": group, "form": form}
    return render(request, "support/session_attendance.html", context)


# ---- The public registration link


def _confirmation(value: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(value, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def _confirm(group: Group, registration: GroupRegistration | None) -> HttpResponse:
    """Post/redirect/get: the confirmation page shows the status and the position, nothing else."""
    if registration is None:  # a robot: pretend it worked
        data: dict[str, Any] = {"s": RegistrationStatus.REGISTERED, "p": 0}
    else:
        data = {"s": registration.status, "p": reads.waiting_position(registration)}
    value = signing.dumps(data, salt=CONFIRMATION_SALT)
    url = reverse("support:group_register", kwargs={"group_token": group.registration_token})
    return redirect(f"{url}?confirmation={value}")


@permission(policies.GROUP_REGISTER_PUBLIC)
def group_register_public(request: PlatformRequest, group_token: str) -> HttpResponse:
    """The link a coordinator sends: anyone registers with a first name and a way to reach them."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the group
        group = reads.group_by_token(group_token)
    if group is None:
        raise Http404
    with platform_scope(group.platform_id):
        return _register_public(request, group)


def _register_public(request: PlatformRequest, group: Group) -> HttpResponse:
    confirmation = _confirmation(request.GET.get("confirmation", "")) if request.method == "GET" else None
    if confirmation is not None:
        context = {
            "group": group,
            "waiting": confirmation.get("s") == RegistrationStatus.WAITING,
            "position": confirmation.get("p") or 0,
        }
        return render(request, "support/group_register.html", {**context, "confirmed": True})
    form = PublicRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and group.active:
        ratelimit.check(request, "group-register", limit=5, window_seconds=3600)
        if form.is_robot:
            return _confirm(group, None)
        if form.is_valid():
            try:
                registration = writes.registration_add(request=request, group=group, public=True, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return _confirm(group, registration)
    context = {
        "group": group,
        "form": form,
        "sessions": reads.public_sessions(group),
        "confirmed": False,
    }
    return render(request, "support/group_register.html", context)
