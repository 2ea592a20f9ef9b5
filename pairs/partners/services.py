"""Every write of the partners directory: organisations, their teams and their contacts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pairs.accounts.models import normalize_email
from pairs.journal import services as journal
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.platforms.services import member_invite
from pairs.territory.models import Commune

from .models import Contact, Organisation, Sector, Team


def _name_taken(platform: Platform, name: str, *, exclude: Organisation | None) -> bool:
    """Names are unique on a platform, whatever the case."""
    qs = Organisation.objects.filter(platform=platform, name__iexact=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def _check_organisation(
    *, platform: Platform, name: str, sector: str, commune: Commune, organisation: Organisation | None = None
) -> None:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez le nom du partenaire.")]
    elif _name_taken(platform, name, exclude=organisation):
        errors["name"] = [_("Un partenaire porte déjà ce nom sur la plateforme.")]
    if sector not in Sector.values:
        errors["sector"] = [_("Choisissez un secteur dans la liste.")]
    if commune.department_code not in platform.department_codes:
        errors["commune"] = [_("Cette commune n'est pas sur le territoire de la plateforme.")]
    if errors:
        raise ValidationError(errors)


def _duplicate_name() -> ValidationError:
    return ValidationError({"name": [_("Un partenaire porte déjà ce nom sur la plateforme.")]})


@transaction.atomic
def organisation_create(
    *, request: HttpRequest | None, platform: Platform, name: str, sector: str, address: str, commune: Commune
) -> Organisation:
    """A new partner organisation of the platform."""
    name = name.strip()
    _check_organisation(platform=platform, name=name, sector=sector, commune=commune)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                platform=platform, name=name, sector=sector, address=address.strip(), commune=commune
            )
    except IntegrityError as exc:  # a twin created at the same moment
        raise _duplicate_name() from exc
    journal.log_create(
        request=request, obj=organisation, fields=["name", "sector", "address", "commune"], platform=platform
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, request: HttpRequest | None, organisation: Organisation, name: str, sector: str, address: str, commune: Commune
) -> list[str]:
    """Change a partner's details; returns the names of the fields that changed."""
    name, address = name.strip(), address.strip()
    platform = organisation.platform
    _check_organisation(platform=platform, name=name, sector=sector, commune=commune, organisation=organisation)
    before = {
        "name": organisation.name,
        "sector": organisation.sector,
        "address": organisation.address,
        "commune": organisation.commune_id,
    }
    after = {"name": name, "sector": sector, "address": address, "commune": commune.pk}
    changed = journal.changed_fields(before, after)
    if not changed:
        return []
    organisation.name, organisation.sector, organisation.address, organisation.commune = name, sector, address, commune
    try:
        with transaction.atomic():
            organisation.save(update_fields=changed)
    except IntegrityError as exc:
        raise _duplicate_name() from exc
    journal.log_update(request=request, obj=organisation, fields=changed, platform=platform)
    return changed


@transaction.atomic
def team_add(*, request: HttpRequest | None, organisation: Organisation, name: str, commune: Commune | None) -> Team:
    """A service or team of a partner (a ward, a CMP, a day hospital…)."""
    name = name.strip()
    platform = organisation.platform
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez le nom du service ou de l'équipe.")]
    elif Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = [_("Ce partenaire a déjà un service ou une équipe de ce nom.")]
    if commune is not None and commune.department_code not in platform.department_codes:
        errors["commune"] = [_("Cette commune n'est pas sur le territoire de la plateforme.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            team = Team.objects.create(platform=platform, organisation=organisation, name=name, commune=commune)
    except IntegrityError as exc:
        raise ValidationError({"name": [_("Ce partenaire a déjà un service ou une équipe de ce nom.")]}) from exc
    journal.log_create(request=request, obj=team, fields=["name", "commune"], platform=platform)
    return team


@transaction.atomic
def contact_add(
    *,
    request: HttpRequest | None,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    job_title: str,
    email: str,
    phone: str,
) -> Contact:
    """A person to talk to at a partner (personal data: the journal records the field names)."""
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "job_title": job_title.strip(),
        "email": email.strip().lower(),
        "phone": phone.strip(),
    }
    errors: dict[str, list[str]] = {}
    if not values["first_name"]:
        errors["first_name"] = [_("Indiquez le prénom.")]
    if not values["last_name"]:
        errors["last_name"] = [_("Indiquez le nom.")]
    if values["email"] and Contact.objects.filter(organisation=organisation, email__iexact=values["email"]).exists():
        errors["email"] = [_("Un contact de ce partenaire a déjà cette adresse e-mail.")]
    if errors:
        raise ValidationError(errors)
    contact = Contact.objects.create(platform=organisation.platform, organisation=organisation, **values)
    journal.log_create(
        request=request,
        obj=contact,
        fields=[name for name, value in values.items() if value],
        platform=organisation.platform,
    )
    return contact


@transaction.atomic
def contact_invite(*, request: HttpRequest | None, contact: Contact) -> bool:
    """Give the contact a partner-contact account, limited to their organisation, and invite them.

    Returns True when an invitation e-mail is queued, False when the person already held a
    partner account on the platform, not linked to any contact, which is linked instead."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.membership_id is not None:
        raise ValidationError(_("Ce contact a déjà un compte partenaire."), code="linked")
    if not locked.email:
        raise ValidationError(
            _("Ajoutez d'abord l'adresse e-mail de ce contact : elle lui sert à se connecter."), code="no_email"
        )
    platform = contact.platform
    existing = (
        Membership.objects.for_platform(platform)
        .filter(user__email=normalize_email(locked.email), role=Role.PARTNER_CONTACT)
        .first()
    )
    if existing is not None and Contact.objects.filter(membership=existing).exists():
        raise ValidationError(
            _("Cette adresse e-mail est déjà celle du compte partenaire d'un autre contact."), code="taken"
        )
    invited = existing is None
    membership = existing or member_invite(
        request=request,
        platform=platform,
        email=locked.email,
        first_name=locked.first_name,
        last_name=locked.last_name,
        role=Role.PARTNER_CONTACT,
    )
    locked.membership = membership
    locked.save(update_fields=["membership"])
    contact.membership = membership
    journal.log_update(request=request, obj=contact, fields=["membership"], platform=platform)
    return invited
