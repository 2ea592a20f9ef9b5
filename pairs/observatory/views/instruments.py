"""The platform's instruments: the list, importing a definition file, one instrument with its items,
dimensions, scoring rule and licence status, and recording a permission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.instruments import InstrumentImportForm, PermissionForm
from ..models import Instrument, Licence
from ..selectors import instruments as instrument_selectors
from ..services import instruments as instrument_services


@permission(policies.INSTRUMENTS)
def instrument_list(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        if request.POST.get("action") == "demo":
            created = instrument_services.demo_instruments_install(
                request=request, platform=request.platform, by=request.user
            )
            if created:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d instrument de démonstration est ajouté.",
                        "%(n)d instruments de démonstration sont ajoutés.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
            else:
                messages.info(request, _("Les instruments de démonstration sont déjà là : rien n'a été ajouté."))
        return redirect("observatory:instruments")
    instruments = list(instrument_selectors.instrument_rows(request.platform))
    rows = [
        {
            "instrument": instrument,
            "status": instrument_selectors.licence_status(instrument),
            "usable": selectors.is_usable(instrument),
        }
        for instrument in instruments
    ]
    return render(request, "observatory/instrument_list.html", {"rows": rows})


def _import_page(
    request: PlatformRequest,
    form: InstrumentImportForm,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "definition_errors": errors or [], "preview": None}
    return render(request, "observatory/instrument_import.html", context, status=status)


def _kept(text: str) -> InstrumentImportForm:
    """A fresh form showing the text again, so that it can be corrected in place."""
    return InstrumentImportForm(initial={"text": text})


@permission(policies.INSTRUMENTS)
def instrument_import(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        return _import_page(request, InstrumentImportForm())
    if request.POST.get("action") == "confirm":
        text = str(request.POST.get("source") or "")
        try:
            instrument = instrument_services.instrument_import(
                request=request, platform=request.platform, by=request.user, text=text
            )
        except ValidationError as error:
            return _import_page(request, _kept(text), errors=error.messages, status=400)
        messages.success(request, _("L'instrument « %(name)s » est importé.") % {"name": instrument.name})
        return redirect("observatory:instrument", instrument_id=instrument.pk)
    form = InstrumentImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    text = form.cleaned_data["source"]
    try:
        definition = instrument_services.definition_check(text)
    except ValidationError as error:
        return _import_page(request, _kept(text), errors=error.messages, status=400)
    if instrument_selectors.version_exists(request.platform, definition.code, definition.version):
        # The service refuses it again on confirmation; said here before the preview.
        return _import_page(request, _kept(text), errors=[_("Cette version est déjà importée.")], status=400)
    context: dict[str, Any] = {
        "form": None,
        "definition_errors": [],
        "preview": instrument_selectors.definition_view(definition),
        "source": text,
        "licence_label": Licence(definition.licence).label,
    }
    return render(request, "observatory/instrument_import.html", context)


def _detail_page(
    request: PlatformRequest,
    instrument: Instrument,
    *,
    permission_form: PermissionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = instrument_selectors.definition_of(instrument)
    needs_permission = instrument.licence != Licence.FREE
    context = {
        "instrument": instrument,
        "view": instrument_selectors.definition_view(definition) if definition is not None else None,
        "status": instrument_selectors.licence_status(instrument),
        "usable": selectors.is_usable(instrument),
        "needs_permission": needs_permission,
        "permissions": instrument_selectors.permissions_of(instrument) if needs_permission else [],
        "permission_form": permission_form or (PermissionForm() if needs_permission else None),
    }
    return render(request, "observatory/instrument_detail.html", context, status=status)


@permission(policies.INSTRUMENTS)
def instrument_detail(request: PlatformRequest, instrument_id: int) -> HttpResponse:
    instrument = instrument_selectors.get_instrument_row(request.platform, instrument_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    url = reverse("observatory:instrument", kwargs={"instrument_id": instrument.pk})
    if request.method == "POST" and request.POST.get("action") == "active":
        active = request.POST.get("active") == "1"
        if instrument_services.instrument_active_set(request=request, instrument=instrument, active=active):
            if active:
                messages.success(request, _("L'instrument est de nouveau proposé pour les campagnes."))
            else:
                messages.success(request, _("L'instrument n'est plus proposé pour les nouvelles campagnes."))
        else:
            messages.info(request, _("Aucun changement : rien n'a été enregistré."))
        return redirect(url)
    if request.method == "POST" and instrument.licence == Licence.FREE:
        messages.info(request, _("Cet instrument est libre : aucune autorisation n'est à noter."))
        return redirect(url)
    if request.method == "POST":
        form = PermissionForm(request.POST)
        if form.is_valid():
            try:
                instrument_services.permission_record(
                    request=request, instrument=instrument, by=request.user, **form.service_data()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                refreshed = instrument_selectors.get_instrument_row(request.platform, instrument.pk)
                if selectors.is_usable(refreshed):
                    messages.success(request, _("L'instrument peut maintenant être utilisé dans une campagne."))
                else:
                    messages.info(
                        request,
                        _(
                            "L'autorisation est notée, mais elle n'est pas valable aujourd'hui : "
                            "l'instrument ne peut pas encore être utilisé."
                        ),
                    )
                return redirect(f"{url}#autorisations")
        return _detail_page(request, instrument, permission_form=form, status=400)
    return _detail_page(request, instrument)
