"""Campaigns: the list, launching one (a next wave prefilled from the previous), following it (live
counts per perspective, links, QR posters, reminders, closing), typing in paper questionnaires and
the Observatoire's settings."""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.core.pdf import RunningText, render_pdf
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..forms.campaigns import CampaignForm, SettingsForm
from ..forms.questionnaire import QuestionnaireForm
from ..models import Campaign, Instrument, Purpose
from ..selectors import campaigns as reads
from ..selectors.instruments import definition_of
from ..services import answers as answer_services
from ..services import campaigns as writes

POLL_SECONDS = 20
MINUTES_PER_QUESTION = 0.3  # about 20 seconds a question


def _is_htmx(request: PlatformRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _detail_url(campaign: Campaign) -> str:
    return reverse("observatory:campaign", kwargs={"campaign_id": campaign.pk})


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- The list


@permission(policies.CAMPAIGNS)
def campaign_list(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    today = timezone.localdate()
    rows = []
    for campaign in reads.campaign_rows(request):
        state = reads.state_of(campaign, today)
        rows.append({"campaign": campaign, "state": state, "state_label": reads.state_label(state)})
    context = {"rows": rows, "is_coordinator": reads.is_coordinator(request)}
    return render(request, "observatory/campaign_list.html", context)


# ---- Launching a campaign


def _initial_instrument(request: PlatformRequest, instruments: list[Instrument], value: Any) -> Instrument | None:
    chosen = reads.get_campaign_instrument(request.platform, value) if value else None
    return chosen or (instruments[0] if instruments else None)


def _after_initial(request: PlatformRequest, previous: Campaign, instruments: list[Instrument]) -> dict[str, Any]:
    """The next wave of ``previous``: same purpose, team, instrument (or its newest offered version)
    and perspectives, the next wave."""
    same = [i for i in instruments if i.pk == previous.instrument_id]
    same = same or [i for i in instruments if i.code == previous.instrument.code]
    return {
        "purpose": previous.purpose,
        "team": previous.team_id,
        "instrument": same[0].pk if same else None,
        "perspectives": list(previous.perspectives),
        "wave": min(previous.wave + 1, writes.MAX_WAVE),
        "previous": previous.pk,
    }


def _kept(data: QueryDict) -> dict[str, Any]:
    """What was typed, as the initial values of a fresh form (no error shown)."""
    names = ("purpose", "team", "title", "instrument", "wave", "opens_on", "closes_on", "previous")
    return {name: data.get(name) for name in names if data.get(name) not in (None, "")}


def _create_page(
    request: PlatformRequest,
    form: CampaignForm,
    *,
    previous: Campaign | None,
    status: int = 200,
) -> HttpResponse:
    team_field = form.fields["team"]
    context = {
        "form": form,
        "previous": previous,
        "is_coordinator": reads.is_coordinator(request),
        "has_teams": isinstance(team_field, forms.ModelChoiceField)
        and team_field.queryset is not None
        and team_field.queryset.exists(),
    }
    return render(request, "observatory/campaign_form.html", context, status=status)


@permission(policies.CAMPAIGNS)
def campaign_create(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_train = reads.is_coordinator(request)
    teams = reads.teams_for(request)
    instruments_qs = reads.campaign_instruments(request.platform)
    instruments = list(instruments_qs)

    def build(instrument: Instrument | None, *args: Any, **kwargs: Any) -> CampaignForm:
        return CampaignForm(
            *args,
            teams=teams,
            instruments=instruments_qs,
            perspective_choices=reads.perspective_choices(instrument),
            can_train=can_train,
            **kwargs,
        )

    if request.method == "GET":
        today = timezone.localdate()
        initial: dict[str, Any] = {
            "purpose": Purpose.TEAM,
            "opens_on": today,
            "closes_on": today + timedelta(days=writes.DEFAULT_DURATION_DAYS),
        }
        previous = None
        if request.GET.get("after"):
            previous = selectors.get_campaign_for(request, request.GET["after"])
            initial.update(_after_initial(request, previous, instruments))
        elif len(teams) == 1:
            initial["team"] = teams[0].pk
        instrument = _initial_instrument(
            request, instruments, request.GET.get("instrument") or initial.get("instrument")
        )
        initial["instrument"] = instrument.pk if instrument else None
        choices = reads.perspective_choices(instrument)
        keys = [key for key, _label in choices]
        kept = [key for key in initial.get("perspectives", []) if key in keys]
        initial["perspectives"] = kept or keys
        return _create_page(request, build(instrument, initial=initial), previous=previous)

    previous = selectors.get_campaign_for(request, request.POST["previous"]) if request.POST.get("previous") else None
    instrument = reads.get_campaign_instrument(request.platform, request.POST.get("instrument"))
    if request.POST.get("action") == "instrument":
        # Without JavaScript: the page again, with the chosen instrument's perspectives and what was typed.
        initial = _kept(request.POST)
        initial["perspectives"] = [key for key, _label in reads.perspective_choices(instrument)]
        return _create_page(request, build(instrument, initial=initial), previous=previous)
    form = build(instrument, request.POST)
    if form.is_valid():
        try:
            campaign = writes.campaign_create(
                request=request,
                platform=request.platform,
                by=request.user,
                previous=previous,
                **form.service_data(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("La campagne « %(title)s » est lancée : diffusez ses liens anonymes.") % {"title": campaign.title},
            )
            return redirect(_detail_url(campaign))
    return _create_page(request, form, previous=previous)


# ---- Following a campaign


def _counts_digest(rows: list[reads.PerspectiveRow], state: str) -> str:
    text = state + ";" + ";".join(f"{row.key}:{row.count}:{row.typed_in}:{row.missing}" for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _counts_context(request: PlatformRequest, campaign: Campaign) -> dict[str, Any]:
    state = reads.state_of(campaign)
    threshold = selectors.threshold_of(request.platform)
    rows = reads.perspective_rows(campaign, threshold=threshold)
    return {
        "campaign": campaign,
        "state": state,
        "threshold": threshold,
        "rows": rows,
        "polling": state == reads.OPEN,
        "digest": _counts_digest(rows, state),
        "poll_seconds": POLL_SECONDS,
    }


def _remind(request: PlatformRequest, campaign: Campaign) -> None:
    try:
        sent = writes.campaign_remind(request=request, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    if sent:
        messages.success(
            request,
            ngettext(
                "La relance est envoyée à %(n)d contact du partenaire.",
                "La relance est envoyée à %(n)d contacts du partenaire.",
                sent,
            )
            % {"n": sent},
        )
    else:
        messages.info(
            request,
            _("Aucun contact de ce partenaire n'a d'adresse e-mail : aucune relance n'est partie."),
        )


@permission(policies.CAMPAIGNS)
def campaign_detail(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remind":
            _remind(request, campaign)
        elif action == "close":
            if writes.campaign_close(request=request, campaign=campaign):
                messages.success(request, _("La campagne est close : elle ne reçoit plus de réponses."))
            else:
                messages.info(request, _("Cette campagne était déjà close : rien n'a changé."))
        else:
            return HttpResponseBadRequest(_("Action inconnue.").encode())
        return redirect(_detail_url(campaign))
    context = _counts_context(request, campaign)
    definition = definition_of(campaign.instrument)
    context.update(
        {
            "state_label": reads.state_label(context["state"]),
            "is_coordinator": reads.is_coordinator(request),
            "finished": context["state"] == reads.CLOSED,
            "can_follow": campaign.wave < (1 if campaign.purpose == Purpose.TRAINING else writes.MAX_WAVE),
            "can_remind": context["state"] == reads.OPEN and campaign.team_id is not None,
            "reminded_today": campaign.last_reminder_on == timezone.localdate(),
            "item_counts": {v.key: len(v.items) for v in definition.versions} if definition else {},
        }
    )
    return render(request, "observatory/campaign_detail.html", context)


@permission(policies.CAMPAIGNS)
def campaign_counts(request: PlatformRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = _counts_context(request, campaign)
    if _is_htmx(request) and request.GET.get("v") == context["digest"] and context["polling"]:
        return HttpResponse(status=204)  # nothing new: htmx leaves the region (and screen readers) alone
    return render(request, "observatory/_campaign_counts.html", context)


def _version_or_404(campaign: Campaign, perspective: str) -> Any:
    if perspective not in campaign.perspectives:
        raise Http404
    definition = definition_of(campaign.instrument)
    if definition is None:
        raise Http404
    try:
        return definition, definition.respondent_version(perspective)
    except ValueError:
        raise Http404 from None


@permission(policies.CAMPAIGNS)
def campaign_poster(request: PlatformRequest, campaign_id: int, perspective: str) -> HttpResponse:
    """An A4 poster to pin up: who it is for, a large QR code of the perspective's anonymous link, the
    link in full, the closing date and the promise of anonymity."""
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    _definition, version = _version_or_404(campaign, perspective)
    link = reads.link_for(campaign, perspective)
    url = reads.answer_url(link.token)
    questions = len(version.items)
    minutes = max(5, math.ceil(questions * MINUTES_PER_QUESTION / 5) * 5)
    context = {
        "campaign": campaign,
        "platform_name": request.platform.name,
        "team_name": campaign.team.name if campaign.team is not None else campaign.title,
        "version": version,
        "url": url,
        "qr_code": segno.make(url, error="m").png_data_uri(scale=12, border=2),
        "questions": questions,
        "minutes": minutes,
    }
    running = RunningText(
        bottom=_("%(platform)s — Observatoire du rétablissement — réponses jusqu'au %(date)s")
        % {"platform": request.platform.name, "date": date_format(campaign.closes_on, "j F Y")}
    )
    content = render_pdf("observatory/pdf/poster.html", context, running=running)
    return _pdf_response(content, f"affiche-{perspective}.pdf")


@permission(policies.CAMPAIGNS)
def campaign_type_in(request: PlatformRequest, campaign_id: int, perspective: str) -> HttpResponse:
    """Type in a paper questionnaire for one perspective; the page comes back empty for the next."""
    campaign = selectors.get_campaign_for(request, campaign_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    definition, version = _version_or_404(campaign, perspective)
    url = reverse("observatory:campaign_type_in", kwargs={"campaign_id": campaign.pk, "perspective": perspective})
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None, definition=definition, perspective=perspective
    )
    if request.method == "POST" and form.is_valid():
        key = form.key()
        if key is None:
            form.add_error(None, _("Cette page a expiré : rechargez-la."))
        else:
            try:
                response = answer_services.response_record(
                    request=request,
                    campaign=campaign,
                    perspective=perspective,
                    answers=form.answers(),
                    submission_key=key,
                    typed_in=True,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if response is None:
                    messages.info(request, _("Ce questionnaire était déjà enregistré."))
                else:
                    messages.success(request, _("Questionnaire papier enregistré."))
                return redirect(url)
    context = {
        "campaign": campaign,
        "version": version,
        "form": form,
        "accepts": answer_services.accepts(campaign, typed_in=True),
        "grace_days": answer_services.TYPE_IN_GRACE_DAYS,
    }
    return render(request, "observatory/campaign_type_in.html", context)


# ---- Settings


@permission(policies.SETTINGS)
def settings_edit(request: PlatformRequest) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    current = selectors.settings_of(request.platform)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                writes.settings_save(request=request, platform=request.platform, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Les réglages de l'Observatoire sont enregistrés."))
                return redirect("observatory:settings")
    else:
        form = SettingsForm(
            initial={
                "anonymity_threshold": current.anonymity_threshold,
                "measure_interval_months": current.measure_interval_months,
            }
        )
    return render(request, "observatory/settings.html", {"form": form})
