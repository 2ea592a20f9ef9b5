"""Writes of contracts (conventions) with their signed PDF, and of the platform's deployment settings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.core.uploads import PDF, content_matches
from pairs.journal import services as journal
from pairs.platforms.models import Platform

from ..models import Contract, Deployment, DeploymentSettings, HoursBasis, Pricing, State

CONTRACT_MAX_BYTES = 5 * 1024 * 1024
WEEKLY_HOURS_MAX = Decimal("168")
TOTAL_HOURS_MAX = Decimal("99999.9")
HOURLY_PRICE_MAX = Decimal("99999.99")
FLAT_FEE_MAX = Decimal("99999999.99")
REFERENCE_MAX_LENGTH = 60

REVIEW_MONTH_MAX = 36
REVIEW_MONTHS_MAX_COUNT = 12
REMINDER_DAYS_MAX = 60
ONE_OFF_HOURS_MAX = Decimal("5000")

CONTRACT_FIELDS = (
    "reference",
    "start_date",
    "end_date",
    "hours_basis",
    "hours",
    "pricing",
    "hourly_price",
    "flat_fee",
    "signed_on",
)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def contract_errors(
    *,
    start_date: date | None,
    end_date: date | None,
    hours_basis: str | None,
    hours: Decimal | None,
    pricing: str | None,
    hourly_price: Decimal | None,
    flat_fee: Decimal | None,
    signed_on: date | None,
    today: date,
) -> dict[str, list[str]]:
    """The French messages of a contract's terms, by field. A value left as None is not checked here
    (the form reports it missing); the service passes every value."""
    errors: dict[str, list[str]] = {}
    if start_date and end_date and end_date < start_date:
        _add(errors, "end_date", _("La date de fin doit suivre la date de début."))
    if hours_basis is not None and hours_basis not in HoursBasis.values:
        _add(errors, "hours_basis", _("Choisissez des heures par semaine ou au total."))
    if hours is not None:
        if hours <= 0:
            _add(errors, "hours", _("Le nombre d'heures doit être supérieur à 0."))
        elif hours_basis == HoursBasis.WEEKLY and hours > WEEKLY_HOURS_MAX:
            _add(errors, "hours", _("Une semaine compte 168 heures au plus."))
        elif hours > TOTAL_HOURS_MAX:
            _add(errors, "hours", _("Le nombre d'heures est trop grand."))
    if pricing is not None and pricing not in Pricing.values:
        _add(errors, "pricing", _("Choisissez un prix à l'heure ou un forfait."))
    for name, value, maximum, kind in (
        ("hourly_price", hourly_price, HOURLY_PRICE_MAX, Pricing.HOURLY),
        ("flat_fee", flat_fee, FLAT_FEE_MAX, Pricing.FLAT),
    ):
        if pricing in Pricing.values and pricing != kind:
            continue  # the other price is ignored, then cleared
        if value is not None and value < 0:
            _add(errors, name, _("Le montant ne peut pas être négatif."))
        elif value is not None and value > maximum:
            _add(errors, name, _("Le montant est trop grand."))
    if pricing == Pricing.HOURLY and hourly_price is None:
        _add(errors, "hourly_price", _("Indiquez le prix de l'heure, puisque le tarif est à l'heure."))
    if pricing == Pricing.FLAT and flat_fee is None:
        _add(errors, "flat_fee", _("Indiquez le montant du forfait, puisque le tarif est un forfait."))
    if signed_on is not None and signed_on > today:
        _add(errors, "signed_on", _("La date de signature ne peut pas être dans le futur."))
    return errors


def document_check(document: UploadedFile) -> None:
    """A signed contract is a PDF (by its name and by its content) of 5 MB at most."""
    again = _("Choisissez à nouveau le fichier.")
    if PurePath(document.name or "").suffix.lower() != ".pdf":
        raise ValidationError(
            {"signed_document": [_("La convention signée doit être un fichier PDF (.pdf).") + " " + again]}
        )
    if document.size is None or document.size > CONTRACT_MAX_BYTES:
        raise ValidationError({"signed_document": [_("Le fichier est trop lourd : 5 Mo au plus.") + " " + again]})
    if not content_matches(document, PDF):
        raise ValidationError({"signed_document": [_("Ce fichier n'est pas un PDF lisible.") + " " + again]})


@transaction.atomic
def contract_save(
    *,
    request: HttpRequest | None,
    deployment: Deployment,
    contract: Contract | None,
    by: User,
    reference: str,
    start_date: date,
    end_date: date,
    hours_basis: str,
    hours: Decimal,
    pricing: str,
    hourly_price: Decimal | None,
    flat_fee: Decimal | None,
    signed_on: date | None,
    document: UploadedFile | None = None,
) -> Contract:
    """Record a contract of a deployment, or change one. A new signed PDF replaces the old one, which
    is deleted once the change is committed. Only the price matching the pricing is kept."""
    locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
    errors: dict[str, list[str]] = {}
    if locked.state == State.ABANDONED:
        _add(errors, "__all__", _("Ce déploiement est abandonné : ses conventions ne changent plus."))
    if contract is not None and contract.deployment_id != locked.pk:
        _add(errors, "__all__", _("Cette convention n'appartient pas à ce déploiement."))
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        _add(errors, "reference", _("La référence tient en 60 caractères au plus."))
    terms = contract_errors(
        start_date=start_date,
        end_date=end_date,
        hours_basis=hours_basis,
        hours=hours,
        pricing=pricing,
        hourly_price=hourly_price,
        flat_fee=flat_fee,
        signed_on=signed_on,
        today=timezone.localdate(),
    )
    for name, messages in terms.items():
        errors.setdefault(name, []).extend(messages)
    if document is not None:
        try:
            document_check(document)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    values = {
        "reference": reference,
        "start_date": start_date,
        "end_date": end_date,
        "hours_basis": hours_basis,
        "hours": hours,
        "pricing": pricing,
        "hourly_price": hourly_price if pricing == Pricing.HOURLY else None,
        "flat_fee": flat_fee if pricing == Pricing.FLAT else None,
        "signed_on": signed_on,
    }
    created = contract is None
    if contract is None:
        contract = Contract(platform_id=locked.platform_id, deployment=locked, created_by=by)
    changed = [name for name, value in values.items() if created or getattr(contract, name) != value]
    for name in changed:
        setattr(contract, name, values[name])
    old_document = contract.signed_document.name if contract.signed_document else ""
    if document is not None:
        contract.signed_document.save(f"{uuid.uuid4().hex}.pdf", document, save=False)
        changed.append("signed_document")
    if created:
        contract.save()
        fields = [name for name in changed if name == "signed_document" or values[name] not in (None, "")]
        journal.log_create(request=request, obj=contract, fields=fields, platform=locked.platform)
    elif changed:
        contract.save(update_fields=[*changed, "updated_at"])
        journal.log_update(request=request, obj=contract, fields=changed, platform=locked.platform)
    if old_document and document is not None:
        transaction.on_commit(partial(contract.signed_document.storage.delete, old_document))
    return contract


# ---- The platform's settings of axis 1


def settings_errors(
    *, review_months: Sequence[int], reminder_days: int, one_off_hours_per_month: Decimal
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not review_months:
        _add(errors, "review_months", _("Indiquez au moins un mois, par exemple 1, 3, 6."))
    elif any(not 1 <= month <= REVIEW_MONTH_MAX for month in review_months):
        _add(errors, "review_months", _("Chaque mois est un nombre entier entre 1 et 36."))
    elif len(set(review_months)) > REVIEW_MONTHS_MAX_COUNT:
        _add(errors, "review_months", _("Indiquez 12 points de suivi au plus."))
    if not 1 <= reminder_days <= REMINDER_DAYS_MAX:
        _add(errors, "reminder_days", _("Le rappel part entre 1 et 60 jours avant le point de suivi."))
    if not 0 <= one_off_hours_per_month <= ONE_OFF_HOURS_MAX:
        _add(errors, "one_off_hours_per_month", _("Indiquez un nombre d'heures entre 0 et 5000."))
    return errors


@transaction.atomic
def deployment_settings_save(
    *,
    request: HttpRequest | None,
    platform: Platform,
    review_months: Sequence[int],
    reminder_days: int,
    one_off_hours_per_month: Decimal,
) -> DeploymentSettings:
    """Save the platform's settings (created on first save). The review months are kept sorted and
    without repeats; they apply to deployments entering integration from now on."""
    errors = settings_errors(
        review_months=review_months, reminder_days=reminder_days, one_off_hours_per_month=one_off_hours_per_month
    )
    if errors:
        raise ValidationError(errors)
    values = {
        "review_months": sorted(set(review_months)),
        "reminder_days": reminder_days,
        "one_off_hours_per_month": one_off_hours_per_month,
    }
    found = DeploymentSettings.objects.select_for_update().filter(platform=platform).first()
    if found is None:
        found = DeploymentSettings.objects.create(platform=platform, **values)
        journal.log_create(request=request, obj=found, fields=list(values), platform=platform)
        return found
    before = {name: getattr(found, name) for name in values}
    changed = journal.changed_fields(before, values)
    if changed:
        for name in changed:
            setattr(found, name, values[name])
        found.save(update_fields=changed)
        journal.log_update(request=request, obj=found, fields=changed, platform=platform)
    return found
