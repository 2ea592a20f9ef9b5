"""Writes of the job board: peer-worker job offers posted by the coordination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.partners.models import Organisation
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from ..models import Contract, JobOffer

__all__ = ["job_create", "job_update"]

HOURS_MIN = Decimal("0.5")
HOURS_MAX = Decimal("48")
EMPLOYER_MAX_LENGTH = 150
TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 5000
HOW_TO_APPLY_MAX_LENGTH = 2000

JOB_FIELDS = (
    "organisation",
    "employer",
    "title",
    "description",
    "commune",
    "contract",
    "hours_per_week",
    "starts_on",
    "apply_by",
    "how_to_apply",
    "published",
)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _values(
    *,
    platform: Platform,
    organisation: Organisation | None,
    employer: str,
    title: str,
    description: str,
    commune: Commune | None,
    contract: str,
    hours_per_week: Decimal | None,
    starts_on: date | None,
    apply_by: date,
    how_to_apply: str,
    published: bool,
    previous_apply_by: date | None,
) -> dict[str, Any]:
    """The offer's values, cleaned; else a ValidationError with the French messages by field. The
    employer defaults to the chosen partner's name. The closing date may not be in the past, except
    when an existing offer keeps its own."""
    errors: dict[str, list[str]] = {}
    employer = employer.strip()
    if organisation is not None and organisation.platform_id != platform.pk:
        _add(errors, "organisation", _("Choisissez un partenaire de la plateforme."))
    elif organisation is not None and not employer:
        employer = organisation.name
    if not employer:
        _add(errors, "employer", _("Indiquez l'employeur, ou choisissez un partenaire."))
    elif len(employer) > EMPLOYER_MAX_LENGTH:
        _add(errors, "employer", _("Le nom de l'employeur tient en 150 caractères au plus."))
    title = title.strip()
    if not title:
        _add(errors, "title", _("Indiquez l'intitulé du poste."))
    elif len(title) > TITLE_MAX_LENGTH:
        _add(errors, "title", _("L'intitulé tient en 150 caractères au plus."))
    description = description.strip()
    if not description:
        _add(errors, "description", _("Décrivez le poste."))
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        _add(errors, "description", _("La description tient en 5 000 caractères au plus."))
    if commune is not None and commune.department_code not in platform.department_codes:
        _add(errors, "commune", _("Choisissez une commune du territoire de la plateforme."))
    if contract not in Contract.values:
        _add(errors, "contract", _("Choisissez le type de contrat."))
    if hours_per_week is not None and not HOURS_MIN <= hours_per_week <= HOURS_MAX:
        _add(errors, "hours_per_week", _("Indiquez entre 0,5 et 48 heures par semaine."))
    if apply_by != previous_apply_by and apply_by < timezone.localdate():
        _add(errors, "apply_by", _("La date limite de candidature ne peut pas être passée."))
    how_to_apply = how_to_apply.strip()
    if not how_to_apply:
        _add(errors, "how_to_apply", _("Expliquez comment candidater (adresse, personne à contacter…)."))
    elif len(how_to_apply) > HOW_TO_APPLY_MAX_LENGTH:
        _add(errors, "how_to_apply", _("Ce texte tient en 2 000 caractères au plus."))
    if errors:
        raise ValidationError(errors)
    return {
        "organisation": organisation,
        "employer": employer,
        "title": title,
        "description": description,
        "commune": commune,
        "contract": contract,
        "hours_per_week": hours_per_week,
        "starts_on": starts_on,
        "apply_by": apply_by,
        "how_to_apply": how_to_apply,
        "published": published,
    }


@transaction.atomic
def job_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    by: User,
    organisation: Organisation | None,
    employer: str,
    title: str,
    description: str,
    commune: Commune | None,
    contract: str,
    hours_per_week: Decimal | None,
    starts_on: date | None,
    apply_by: date,
    how_to_apply: str,
    published: bool,
) -> JobOffer:
    """Post a job offer (published on the public page at once when ``published``)."""
    values = _values(
        platform=platform,
        organisation=organisation,
        employer=employer,
        title=title,
        description=description,
        commune=commune,
        contract=contract,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
        apply_by=apply_by,
        how_to_apply=how_to_apply,
        published=published,
        previous_apply_by=None,
    )
    job = JobOffer.objects.create(platform=platform, created_by=by, **values)
    fields = [name for name in JOB_FIELDS if values[name] not in (None, "")]
    journal.log_create(request=request, obj=job, fields=fields, platform=platform)
    return job


@transaction.atomic
def job_update(
    *,
    request: HttpRequest | None,
    job: JobOffer,
    organisation: Organisation | None,
    employer: str,
    title: str,
    description: str,
    commune: Commune | None,
    contract: str,
    hours_per_week: Decimal | None,
    starts_on: date | None,
    apply_by: date,
    how_to_apply: str,
    published: bool,
) -> JobOffer:
    """Change an offer. Its closing date may stay as it is even once past (to unpublish a closed
    offer, say), but a new one may not be in the past."""
    locked = JobOffer.objects.select_for_update(of=("self",)).select_related("platform").get(pk=job.pk)
    values = _values(
        platform=locked.platform,
        organisation=organisation,
        employer=employer,
        title=title,
        description=description,
        commune=commune,
        contract=contract,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
        apply_by=apply_by,
        how_to_apply=how_to_apply,
        published=published,
        previous_apply_by=locked.apply_by,
    )
    before = {name: getattr(locked, name) for name in JOB_FIELDS}
    changed = journal.changed_fields(before, values)
    if changed:
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=changed)
        journal.log_update(request=request, obj=locked, fields=changed, platform=locked.platform)
    return locked
