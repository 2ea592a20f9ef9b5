"""Attendance taken on a phone by the trainer (tick the list, add walk-ins, validate: hours to the
trainers' activity log, certificates and feedback questionnaires sent); the attendance certificate
behind the registrant's link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.core.pdf import RunningText, render_pdf
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies
from ..forms.attendance import RollCallForm, WalkInForm
from ..models import Event, Registration
from ..selectors import attendance as reads
from ..services import attendance as writes


def _page_url(event: Event, anchor: str = "") -> str:
    url = reverse("events:attendance", kwargs={"event_id": event.pk})
    return f"{url}#{anchor}" if anchor else url


def _closed_label(event: Event, certificates: int) -> str:
    """« Appel validé le … : N attestations envoyées. »"""
    when = date_format(timezone.localtime(event.attendance_closed_at), "j F Y") if event.attendance_closed_at else ""
    return ngettext(
        "Appel validé le %(day)s : %(n)s attestation envoyée.",
        "Appel validé le %(day)s : %(n)s attestations envoyées.",
        certificates,
    ) % {"day": when, "n": certificates}


def _render(
    request: PlatformRequest,
    event: Event,
    rows: list[Registration],
    *,
    form: RollCallForm | None = None,
    walk_in_form: WalkInForm | None = None,
) -> HttpResponse:
    counts = reads.roll_counts(rows)
    context = {
        "event": event,
        "rows": [(row, reads.registration_label(row)) for row in rows],
        "counts": counts,
        "refusal": writes.attendance_refusal(event),
        "closed": event.attendance_closed_at is not None,
        "closed_label": _closed_label(event, counts.certificates),
        "form": form or RollCallForm(rows=rows),
        "walk_in_form": walk_in_form or WalkInForm(),
        "coordinator": reads.is_coordinator(request),
        "remote": not event.place and bool(event.video_link),
    }
    return render(request, "events/attendance.html", context)


@permission(policies.ATTENDANCE)
def attendance(request: PlatformRequest, event_id: int) -> HttpResponse:
    """The roll call on a phone: coordinators for any event of the platform, a peer worker for the
    events they lead (any other answers 404)."""
    event = reads.attendance_event_for(request, event_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        refusal = writes.attendance_refusal(event)
        if refusal:
            messages.error(request, refusal)
            return redirect(_page_url(event))
        if event.attendance_closed_at is not None:
            messages.info(request, _("L'appel est validé : la liste ne peut plus être modifiée."))
            return redirect(_page_url(event))
        action = request.POST.get("action", "")
        if action == "walk_in":
            return _walk_in(request, event)
        if action in ("save", "close"):
            return _roll_call(request, event, close=action == "close")
        messages.error(request, _("Cette page est incomplète. Rechargez-la avant de recommencer."))
        return redirect(_page_url(event))
    rows = reads.roll_call(event)
    journal.log_view(request=request, obj=event)
    return _render(request, event, rows)


def _roll_call(request: PlatformRequest, event: Event, *, close: bool) -> HttpResponse:
    rows = reads.roll_call(event)
    form = RollCallForm(request.POST, rows=rows)
    ticked = "roll" in request.POST  # the roll call was on the page sent (not only the validation button)
    if form.is_valid():
        present = form.service_data()["present"]
        try:
            if close:
                result = writes.attendance_close(request=request, event=event, present=present if ticked else None)
            else:
                writes.attendance_save(request=request, event=event, present=present)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if not close:
                messages.success(request, _("Appel enregistré."))
            elif not result.closed_now:
                messages.info(request, _("L'appel était déjà validé : rien n'est envoyé une seconde fois."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Appel validé : %(n)s attestation envoyée.",
                        "Appel validé : %(n)s attestations envoyées.",
                        result.certificates,
                    )
                    % {"n": result.certificates},
                )
            return redirect(_page_url(event))
    return _render(request, event, rows, form=form)


def _walk_in(request: PlatformRequest, event: Event) -> HttpResponse:
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration = writes.walk_in_add(request=request, event=event, **form.service_data())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s est ajouté·e à la liste, présent·e.") % {"name": registration.name})
            return redirect(_page_url(event, "liste"))
    return _render(request, event, reads.roll_call(event), walk_in_form=form)


# ---- The certificate


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission(policies.PUBLIC_AGENDA)
def certificate(request: PlatformRequest, registration_token: str) -> HttpResponse:
    """The attendance certificate behind the registrant's personal link: only for a person marked
    present, once the attendance is validated."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the registration
        registration = reads.certificate_registration(registration_token)
    if registration is None:
        raise Http404
    with platform_scope(registration.platform_id):
        return _certificate(registration)


def _certificate(registration: Registration) -> HttpResponse:
    if not reads.certificate_available(registration):
        raise Http404
    event = registration.event
    day = reads.event_day(event)
    closed_at = event.attendance_closed_at or timezone.now()
    context = {
        "platform_name": event.platform.name,
        "name": registration.name,
        "event": event,
        "kind": event.get_kind_display(),
        "day": day,
        "remote": not event.place and bool(event.video_link),
        "duration": reads.duration_label(event.duration_minutes),
        "trainers": reads.trainer_names(event),
        "programme": event.programme.title if event.programme is not None else "",
        "town": "",  # the platform has no commune of its own: « Fait le … »
        "signed_on": timezone.localdate(closed_at),
    }
    content = render_pdf(
        "events/pdf/certificate.html",
        context,
        running=RunningText(bottom=_("Attestation de présence — %(platform)s") % {"platform": event.platform.name}),
    )
    return _pdf_response(content, f"attestation-{day.isoformat()}.pdf")
