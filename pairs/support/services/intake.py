"""Writes of intake: the public self-referral, first contact, redirection elsewhere, acceptance into a
person record, and the platform's target time to first contact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.accounts.models import User
from pairs.core.text import fold, french_phone, sql_fold
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

from ..models import (
    Person,
    PersonStatus,
    Relation,
    RequestStatus,
    SupportRequest,
    SupportSettings,
    Topic,
    invalid_preferences,
)

LOOKING_FOR_MAX_LENGTH = 3000
REQUEST_FIELDS = (
    "pseudonym",
    "phone",
    "email",
    "contact_times",
    "relation",
    "commune",
    "commune_name",
    "outside_territory",
    "looking_for",
    "topics",
    "language",
    "gender_preference",
    "place_preference",
    "mode_preference",
)
# Messages shared with the public form, which checks the same things first.
PHONE_INVALID = gettext_lazy(
    "Ce numéro ne semble pas valable. Écrivez un numéro français à 10 chiffres, par exemple 06 12 34 56 78."
)
REACHABLE_REQUIRED = gettext_lazy(
    "Indiquez un téléphone ou une adresse e-mail (ou les deux), pour que nous puissions vous recontacter."
)
LOOKING_FOR_REQUIRED = gettext_lazy(
    "Dites-nous en quelques mots ce que vous cherchez, ou cochez une ou plusieurs propositions."
)
FIRST_CONTACT_DAYS_BOUNDS = (1, 30)

# ---- Phone numbers


normalise_phone = french_phone  # the public form's rule, shared (pairs/core/text.py)


# ---- Communes, whatever the case, accents, hyphens or apostrophes typed


def commune_key(value: str) -> str:
    """The comparison key of a commune name: no accent, lower case, words separated by one space.
    A postcode, a department in brackets or an arrondissement ("Lyon 3e") are left out."""
    text = re.sub(r"\(.*?\)", " ", value)
    text = re.sub(r"\b\d+\s*(?:e|er|eme|ème)?\b|\barrondissement\b", " ", text, flags=re.IGNORECASE)
    return " ".join(fold(text.replace("-", " ").replace("'", " ").replace("’", " ")).split())


def _folded_name() -> Lower:
    """SQL twin of commune_key() for the names of the reference table."""
    spaced = Func(F("name"), Value("-'’"), Value("   "), function="translate")
    return Lower(sql_fold(spaced))


def commune_resolve(*, platform: Platform, typed: str) -> tuple[Commune | None, bool]:
    """The commune a visitor typed, and whether it lies outside the platform's territory. A commune
    of the platform's departments is preferred to a namesake elsewhere, then the most populated."""
    key = commune_key(typed)
    if not key:
        return None, False
    in_territory = Case(
        When(department_code__in=platform.department_codes, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    found = (
        Commune.objects.annotate(folded=_folded_name(), home=in_territory)
        .filter(folded=key)
        .order_by("-home", "-population", "insee_code")
        .first()
    )
    if found is None:
        return None, True
    return found, found.department_code not in platform.department_codes


# ---- The public self-referral


def _clean_request_values(
    *,
    pseudonym: str,
    phone: str,
    email: str,
    relation: str,
    commune: str,
    looking_for: str,
    topics: Sequence[str],
    gender_preference: str,
    place_preference: str,
    mode_preference: str,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {"pseudonym": pseudonym.strip(), "email": email.strip().lower(), "phone": ""}
    if not values["pseudonym"]:
        errors["pseudonym"] = [_("Indiquez un prénom ou un pseudonyme : c'est ainsi que nous vous appellerons.")]
    if phone.strip():
        normalised = normalise_phone(phone)
        if normalised is None:
            errors["phone"] = [str(PHONE_INVALID)]
        else:
            values["phone"] = normalised
    elif not values["email"]:
        errors["phone"] = [str(REACHABLE_REQUIRED)]
    if relation not in Relation.values:
        errors["relation"] = [_("Dites-nous si la demande est pour vous ou pour un·e proche.")]
    if not commune.strip():
        errors["commune"] = [_("Indiquez votre commune, pour trouver un lieu de rencontre près de chez vous.")]
    if not looking_for.strip() and not topics:
        errors["looking_for"] = [str(LOOKING_FOR_REQUIRED)]
    if len(looking_for.strip()) > LOOKING_FOR_MAX_LENGTH:
        errors["looking_for"] = [
            _("Votre message est trop long : %(max)s caractères au plus.") % {"max": LOOKING_FOR_MAX_LENGTH}
        ]
    if any(topic not in Topic.values for topic in topics):
        errors["topics"] = [_("Choisissez parmi les propositions de la liste.")]
    preferences = {
        "gender_preference": gender_preference,
        "place_preference": place_preference,
        "mode_preference": mode_preference,
    }
    for name in invalid_preferences(preferences):
        errors[name] = [_("Choisissez parmi les propositions de la liste.")]
    return values, errors


@transaction.atomic
def support_request_submit(
    *,
    request: HttpRequest | None,
    platform: Platform,
    pseudonym: str,
    relation: str,
    commune: str,
    phone: str = "",
    email: str = "",
    contact_times: str = "",
    looking_for: str = "",
    topics: Sequence[str] = (),
    language: str = "",
    gender_preference: str = "",
    place_preference: str = "",
    mode_preference: str = "",
) -> SupportRequest:
    """Save a request sent from the public form, journal it and tell the requester (if they gave an
    e-mail address) and the platform's coordinators. The e-mails repeat nothing the person wrote."""
    values, errors = _clean_request_values(
        pseudonym=pseudonym,
        phone=phone,
        email=email,
        relation=relation,
        commune=commune,
        looking_for=looking_for,
        topics=topics,
        gender_preference=gender_preference,
        place_preference=place_preference,
        mode_preference=mode_preference,
    )
    if errors:
        raise ValidationError(errors)
    found, outside = commune_resolve(platform=platform, typed=commune)
    support_request = SupportRequest.objects.create(
        platform=platform,
        relation=relation,
        commune=found,
        commune_name="" if found is not None else commune.strip()[:100],
        outside_territory=outside,
        contact_times=contact_times.strip()[:200],
        looking_for=looking_for.strip(),
        topics=list(dict.fromkeys(topics)),
        language=language.strip()[:40],
        gender_preference=gender_preference,
        place_preference=place_preference,
        mode_preference=mode_preference,
        **values,
    )
    filled = [name for name in REQUEST_FIELDS if getattr(support_request, "commune_id" if name == "commune" else name)]
    journal.log_create(request=request, obj=support_request, fields=filled, platform=platform)
    days = _first_contact_days(platform)
    if support_request.email:
        email_queue(
            to=support_request.email,
            kind="support_request_received",
            template="support/emails/request_received.txt",
            context={"platform_name": platform.name, "days": days, "contact_phone": platform.contact_phone},
            platform=platform,
            language=translation.get_language(),
        )
    _notify_coordinators(support_request, days)
    return support_request


def _first_contact_days(platform: Platform) -> int:
    value = SupportSettings.objects.filter(platform=platform).values_list("first_contact_days", flat=True).first()
    return int(value) if value is not None else int(SupportSettings._meta.get_field("first_contact_days").default)


def _notify_coordinators(support_request: SupportRequest, days: int) -> None:
    """A link to the request for each active coordinator: no pseudonym, no text of the request."""
    coordinators = (
        Membership.objects.filter(platform_id=support_request.platform_id, role=Role.COORDINATOR)
        .active()
        .select_related("user", "platform")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("support:request", kwargs={"support_request_id": support_request.pk})
    for membership in coordinators:
        email_queue(
            to=membership.user.email,
            kind="support_request_new",
            template="support/emails/request_new.txt",
            context={
                "name": membership.user.first_name,
                "platform_name": membership.platform.name,
                "days": days,
                "link": link,
            },
            platform=membership.platform,
        )


# ---- Triage


def _locked(support_request: SupportRequest) -> SupportRequest:
    """The request, locked for this transaction; the caller's instance follows its current state."""
    current = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    for name in ("status", "first_contact_at", "redirected_to", "handled_by_id", "person_id"):
        setattr(support_request, name, getattr(current, name))
    return current


def _refuse_if_closed(current: SupportRequest) -> None:
    if current.status == RequestStatus.ACCEPTED:
        raise ValidationError(_("Cette demande est déjà acceptée : un dossier est ouvert."))
    if current.status == RequestStatus.REDIRECTED:
        raise ValidationError(_("Cette demande est déjà orientée ailleurs."))


def _save(*, request: HttpRequest | None, current: SupportRequest, target: SupportRequest, fields: list[str]) -> None:
    current.save(update_fields=[*fields, "updated_at"])
    for name in fields:
        setattr(target, name, getattr(current, name))
    journal.log_update(
        request=request,
        obj=current,
        fields=[name.removesuffix("_id") for name in fields],
        platform=current.platform,
    )


@transaction.atomic
def support_request_contact(*, request: HttpRequest | None, support_request: SupportRequest, by: User) -> None:
    """The first contact with the requester is made."""
    current = _locked(support_request)
    _refuse_if_closed(current)
    if current.status == RequestStatus.CONTACTED:
        raise ValidationError(_("Le premier contact est déjà noté pour cette demande."))
    current.status = RequestStatus.CONTACTED
    current.first_contact_at = timezone.now()
    current.handled_by_id = by.pk
    _save(
        request=request, current=current, target=support_request, fields=["status", "first_contact_at", "handled_by_id"]
    )


@transaction.atomic
def support_request_redirect(
    *, request: HttpRequest | None, support_request: SupportRequest, by: User, where: str
) -> None:
    """The request is better answered elsewhere (a CMP, a GEM, another platform): say where."""
    where = where.strip()
    if not where:
        raise ValidationError({"where": [_("Indiquez vers qui ou vers quel lieu la demande est orientée.")]})
    if len(where) > 200:
        raise ValidationError({"where": [_("200 caractères au plus.")]})
    current = _locked(support_request)
    _refuse_if_closed(current)
    current.status = RequestStatus.REDIRECTED
    current.redirected_to = where
    current.handled_by_id = by.pk
    fields = ["status", "redirected_to", "handled_by_id"]
    if current.first_contact_at is None:
        current.first_contact_at = timezone.now()
        fields.append("first_contact_at")
    _save(request=request, current=current, target=support_request, fields=fields)


PERSON_FIELDS_FROM_REQUEST = (
    "pseudonym",
    "relation",
    "commune",
    "phone",
    "email",
    "contact_times",
    "language",
    "gender_preference",
    "place_preference",
    "mode_preference",
)


@transaction.atomic
def support_request_accept(
    *,
    request: HttpRequest | None,
    support_request: SupportRequest,
    by: User,
    existing_person: Person | None = None,
) -> Person:
    """Accept a request: open a person record from it, or link it to an existing open record of the
    same platform (a duplicate). A request is accepted once: the row is locked while deciding."""
    current = _locked(support_request)
    _refuse_if_closed(current)
    if existing_person is not None:
        if existing_person.platform_id != current.platform_id:
            raise ValidationError({"existing_person": [_("Ce dossier n'existe pas sur la plateforme.")]})
        if existing_person.status == PersonStatus.CLOSED:
            raise ValidationError({"existing_person": [_("Ce dossier est clos : ouvrez plutôt un nouveau dossier.")]})
        person = existing_person
    else:
        person = Person.objects.create(
            platform_id=current.platform_id,
            opened_on=timezone.localdate(),
            **{name: getattr(current, name) for name in PERSON_FIELDS_FROM_REQUEST},
        )
        journal.log_create(
            request=request,
            obj=person,
            fields=[name for name in PERSON_FIELDS_FROM_REQUEST if getattr(person, name)] + ["opened_on"],
            platform=current.platform,
        )
    current.status = RequestStatus.ACCEPTED
    current.person = person
    current.handled_by_id = by.pk
    fields = ["status", "person_id", "handled_by_id"]
    if current.first_contact_at is None:
        current.first_contact_at = timezone.now()
        fields.append("first_contact_at")
    _save(request=request, current=current, target=support_request, fields=fields)
    support_request.person = person
    return person


# ---- Settings


@transaction.atomic
def support_settings_save(
    *, request: HttpRequest | None, platform: Platform, first_contact_days: int
) -> SupportSettings:
    low, high = FIRST_CONTACT_DAYS_BOUNDS
    if not low <= first_contact_days <= high:
        raise ValidationError(
            {
                "first_contact_days": [
                    _("Choisissez un délai entre %(low)s et %(high)s jours.") % {"low": low, "high": high}
                ]
            }
        )
    row, created = SupportSettings.objects.select_for_update().get_or_create(
        platform=platform, defaults={"first_contact_days": first_contact_days}
    )
    if created:
        journal.log_create(request=request, obj=row, fields=["first_contact_days"], platform=platform)
    elif row.first_contact_days != first_contact_days:
        row.first_contact_days = first_contact_days
        row.save(update_fields=["first_contact_days"])
        journal.log_update(request=request, obj=row, fields=["first_contact_days"], platform=platform)
    return row
