"""Writes of the campaigns: launching one (licence gate, one anonymous link per perspective, the
partner's contacts told by e-mail), reminding the partner (by hand, at most once a day, and by the
daily job three days before the end), closing early, and the Observatoire's settings. E-mails hold the
title, the dates, the links and the number of answers: never an answer, never a score."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.partners.models import Contact, Team
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..engine import Definition, DefinitionError
from ..models import Campaign, CampaignLink, Instrument, ObservatorySettings, Purpose
from ..selectors import threshold_of
from ..selectors.campaigns import perspective_rows
from .instruments import require_usable

CAMPAIGN_FIELDS = (
    "purpose",
    "team",
    "title",
    "instrument",
    "perspectives",
    "wave",
    "previous",
    "opens_on",
    "closes_on",
)
SETTINGS_FIELDS = ("anonymity_threshold", "measure_interval_months")
MAX_WAVE = 9
TITLE_MAX_LENGTH = 150
DEFAULT_DURATION_DAYS = 28
REMINDER_DAYS_BEFORE_END = 3
OPENED_KIND = "observatory_campaign_opened"
REMINDER_KIND = "observatory_campaign_reminder"


# ---- Launching a campaign


def wave_label(purpose: str, wave: int) -> str:
    if purpose == Purpose.TRAINING:
        return _("Avant") if wave == 0 else _("Après")
    return f"T{wave}"


def default_title(
    *, purpose: str, team: Team | None, instrument: Instrument, wave: int, previous: Campaign | None
) -> str:
    """« Observatoire — {team} — T{wave} »; for a training « {title} — Avant » or « — Après », the title
    being the previous wave's without its « — Avant » (else « Formation — {team or instrument} »)."""
    if purpose == Purpose.TRAINING:
        before = " — " + _("Avant")
        if previous is not None:
            base = previous.title.removesuffix(before).removesuffix(" — " + _("Après"))
        else:
            base = _("Formation — %(name)s") % {"name": team.name if team is not None else instrument.name}
        title = f"{base} — {wave_label(purpose, wave)}"
    else:
        name = team.name if team is not None else instrument.name
        title = _("Observatoire — %(team)s — T%(wave)d") % {"team": name, "wave": wave}
    return title[:TITLE_MAX_LENGTH]


def _definition(instrument: Instrument) -> Definition | None:
    try:
        return Definition.from_dict(instrument.definition)
    except (DefinitionError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _is_coordinator(request: HttpRequest | None) -> bool:
    membership = getattr(request, "membership", None)
    return membership is None or membership.role == Role.COORDINATOR  # no request: a command or the demo


def campaign_errors(
    *,
    request: HttpRequest | None,
    platform: Platform,
    purpose: str,
    team: Team | None,
    instrument: Instrument,
    perspectives: Sequence[str],
    wave: int,
    previous: Campaign | None,
    opens_on: date,
    closes_on: date,
    today: date,
) -> dict[str, list[str]]:
    """Every refused rule of a new campaign, keyed by form field (the licence gate apart)."""
    errors: dict[str, list[str]] = {}
    if purpose not in Purpose.values:
        _add(errors, "purpose", _("Choisissez l'objet de la campagne."))
    elif purpose == Purpose.TRAINING and not _is_coordinator(request):
        _add(errors, "purpose", _("Seule l'équipe de coordination lance le questionnaire d'une formation."))
    if team is None and purpose != Purpose.TRAINING:
        _add(errors, "team", _("Choisissez l'équipe partenaire."))
    if team is not None and team.platform_id != platform.pk:
        _add(errors, "team", _("Choisissez une équipe de la liste."))
    if instrument.platform_id != platform.pk:
        _add(errors, "instrument", _("Choisissez un instrument de la liste."))
    elif not instrument.active:
        _add(errors, "instrument", _("Cet instrument n'est plus proposé pour les campagnes : choisissez-en un autre."))
    definition = _definition(instrument)
    keys = [version.key for version in definition.versions] if definition is not None else []
    if definition is None:
        _add(errors, "instrument", _("La définition de cet instrument ne peut pas être relue : importez-la à nouveau."))
    elif not perspectives:
        _add(errors, "perspectives", _("Choisissez au moins un point de vue."))
    elif any(key not in keys for key in perspectives) or len(set(perspectives)) != len(perspectives):
        _add(errors, "perspectives", _("Choisissez les points de vue parmi ceux de l'instrument choisi."))
    if not 0 <= wave <= MAX_WAVE:
        _add(errors, "wave", _("La vague va de T0 à T9."))
    elif purpose == Purpose.TRAINING and wave > 1:
        _add(errors, "wave", _("Une formation a deux temps : T0 avant, T1 après."))
    if closes_on < opens_on:
        _add(errors, "closes_on", _("La clôture doit venir après l'ouverture."))
    elif closes_on < today:
        _add(errors, "closes_on", _("Cette date de clôture est passée : choisissez une date à venir."))
    if previous is not None:
        if (
            previous.platform_id != platform.pk
            or previous.team_id != (team.pk if team is not None else None)
            or previous.purpose != purpose
            or previous.instrument.code != instrument.code
        ):
            _add(
                errors,
                "__all__",
                _("La vague précédente doit porter sur la même équipe et le même instrument."),
            )
        elif previous.wave >= wave:
            _add(
                errors,
                "wave",
                _("La vague doit suivre celle de la campagne précédente (%(label)s).") % {"label": previous.wave_label},
            )
    return errors


def _contacts_with_email(team: Team | None) -> list[Contact]:
    """The contacts of the team's organisation who have an e-mail address, one per address."""
    if team is None:
        return []
    seen: set[str] = set()
    result = []
    for contact in Contact.objects.filter(organisation_id=team.organisation_id).exclude(email="").order_by("pk"):
        address = contact.email.strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append(contact)
    return result


def _campaign_url(campaign: Campaign) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("observatory:campaign", kwargs={"campaign_id": campaign.pk})


@transaction.atomic
def campaign_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    by: User,
    purpose: str,
    team: Team | None,
    title: str,
    instrument: Instrument,
    perspectives: Sequence[str],
    wave: int,
    previous: Campaign | None,
    opens_on: date,
    closes_on: date,
) -> Campaign:
    """Launch a campaign: one anonymous link per perspective; the team's organisation's contacts who
    have an e-mail address receive the title, the dates and the links."""
    errors = campaign_errors(
        request=request,
        platform=platform,
        purpose=purpose,
        team=team,
        instrument=instrument,
        perspectives=perspectives,
        wave=wave,
        previous=previous,
        opens_on=opens_on,
        closes_on=closes_on,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    try:
        require_usable(instrument)
    except ValidationError as error:
        raise ValidationError({"instrument": error.messages}) from error
    title = " ".join(title.split())[:TITLE_MAX_LENGTH] or default_title(
        purpose=purpose, team=team, instrument=instrument, wave=wave, previous=previous
    )
    campaign = Campaign.objects.create(
        platform=platform,
        purpose=purpose,
        team=team,
        title=title,
        instrument=instrument,
        perspectives=list(perspectives),
        wave=wave,
        previous=previous,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    for perspective in perspectives:
        CampaignLink.objects.create(
            platform=platform, campaign=campaign, perspective=perspective, token=secrets.token_urlsafe(24)
        )
    extra = {"actor": by, "platform": platform} if request is None else {}
    journal.log_create(request=request, obj=campaign, fields=CAMPAIGN_FIELDS, **extra)
    _queue_opened(campaign)
    return campaign


def _queue_opened(campaign: Campaign) -> int:
    contacts = _contacts_with_email(campaign.team)
    if not contacts:
        return 0
    rows = perspective_rows(campaign, threshold=threshold_of(campaign.platform))
    context = {
        "title": campaign.title,
        "team": str(campaign.team),
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "links": [{"label": row.label, "url": row.url} for row in rows],
        "campaign_url": _campaign_url(campaign),
        "platform_name": campaign.platform.name,
    }
    for contact in contacts:
        email_queue(
            to=contact.email,
            kind=OPENED_KIND,
            template="observatory/emails/campaign_opened.txt",
            context=context,
            platform=campaign.platform,
        )
    return len(contacts)


# ---- Following a campaign: reminders, closing early


def _queue_reminder(campaign: Campaign) -> int:
    contacts = _contacts_with_email(campaign.team)
    if not contacts:
        return 0
    rows = perspective_rows(campaign, threshold=threshold_of(campaign.platform))
    context = {
        "title": campaign.title,
        "team": str(campaign.team),
        "closes_on": campaign.closes_on,
        "rows": rows,
        "campaign_url": _campaign_url(campaign),
        "platform_name": campaign.platform.name,
    }
    for contact in contacts:
        email_queue(
            to=contact.email,
            kind=REMINDER_KIND,
            template="observatory/emails/campaign_reminder.txt",
            context=context,
            platform=campaign.platform,
        )
    return len(contacts)


def _is_open(campaign: Campaign, today: date) -> bool:
    return campaign.closed_at is None and campaign.opens_on <= today <= campaign.closes_on


@transaction.atomic
def campaign_remind(*, request: HttpRequest | None, campaign: Campaign, today: date | None = None) -> int:
    """E-mail the partner's contacts the counts so far and the links, at most once a day. Returns the
    number of e-mails queued (0 when no contact has an e-mail address: nothing is marked then)."""
    day = today or timezone.localdate()
    locked = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("team__organisation", "platform", "instrument")
        .get(pk=campaign.pk)
    )
    if locked.team_id is None:
        raise ValidationError(_("Cette campagne n'a pas d'équipe partenaire : il n'y a personne à relancer."))
    if not _is_open(locked, day):
        raise ValidationError(_("Cette campagne ne reçoit pas de réponses en ce moment : pas de relance."))
    if locked.last_reminder_on == day:
        raise ValidationError(_("Une relance est déjà partie aujourd'hui. Vous pourrez relancer à nouveau demain."))
    sent = _queue_reminder(locked)
    if sent:
        locked.last_reminder_on = day
        locked.save(update_fields=["last_reminder_on"])
        campaign.last_reminder_on = day
        if request is not None:
            journal.log_update(request=request, obj=locked, fields=["last_reminder_on"])
    return sent


def campaign_reminders_send(*, today: date) -> int:
    """The daily job: the open campaigns ending in three days that got no reminder today are reminded
    once. Run outside any request scope. Returns the number of campaigns reminded."""
    end = today + timedelta(days=REMINDER_DAYS_BEFORE_END)
    ids = list(
        Campaign.objects.filter(
            closes_on=end,
            opens_on__lte=today,
            closed_at__isnull=True,
            team__isnull=False,
            platform__is_active=True,
        )
        .exclude(last_reminder_on=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in ids:
        with transaction.atomic():
            locked = (
                Campaign.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("team__organisation", "platform", "instrument")
                .filter(pk=pk, closed_at__isnull=True)
                .exclude(last_reminder_on=today)
                .first()
            )
            if locked is None:
                continue
            if _queue_reminder(locked):
                reminded += 1
            locked.last_reminder_on = today  # tried today, even with nobody to tell: never twice
            locked.save(update_fields=["last_reminder_on"])
    return reminded


@transaction.atomic
def campaign_close(*, request: HttpRequest | None, campaign: Campaign) -> bool:
    """Close an open (or not yet open) campaign before its closing date. False when it was already
    closed, by hand or by its date."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.closed_at is not None or locked.closes_on < timezone.localdate():
        return False
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    campaign.closed_at = locked.closed_at
    journal.log_update(request=request, obj=locked, fields=["closed_at"])
    return True


# ---- Settings


def settings_errors(*, anonymity_threshold: int, measure_interval_months: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if anonymity_threshold < ObservatorySettings.MIN_THRESHOLD:
        _add(
            errors,
            "anonymity_threshold",
            _("Le seuil d'anonymat ne peut pas être inférieur à 3 : en dessous, une réponse pourrait être reconnue."),
        )
    elif anonymity_threshold > 30:
        _add(errors, "anonymity_threshold", _("Le seuil d'anonymat va de 3 à 30 réponses."))
    if not 1 <= measure_interval_months <= 24:
        _add(errors, "measure_interval_months", _("Le rythme des mesures va de 1 à 24 mois."))
    return errors


@transaction.atomic
def settings_save(
    *, request: HttpRequest | None, platform: Platform, anonymity_threshold: int, measure_interval_months: int
) -> ObservatorySettings:
    """Create or update the platform's Observatoire settings."""
    errors = settings_errors(anonymity_threshold=anonymity_threshold, measure_interval_months=measure_interval_months)
    if errors:
        raise ValidationError(errors)
    Platform.objects.select_for_update().filter(pk=platform.pk).first()  # one save at a time per platform
    found = ObservatorySettings.objects.filter(platform=platform).first()
    if found is None:
        found = ObservatorySettings.objects.create(
            platform=platform,
            anonymity_threshold=anonymity_threshold,
            measure_interval_months=measure_interval_months,
        )
        journal.log_create(request=request, obj=found, fields=SETTINGS_FIELDS, platform=platform)
        return found
    changed = [
        name
        for name, value in (
            ("anonymity_threshold", anonymity_threshold),
            ("measure_interval_months", measure_interval_months),
        )
        if getattr(found, name) != value
    ]
    if changed:
        found.anonymity_threshold = anonymity_threshold
        found.measure_interval_months = measure_interval_months
        found.save(update_fields=changed)
        journal.log_update(request=request, obj=found, fields=changed, platform=platform)
    return found
