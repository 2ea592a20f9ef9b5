"""Every write of the pool's profiles: adding a peer worker (account, invitation, profile,
onboarding path), the coordination's contract edit, the worker's own profile, the weekly
availability pattern and absences, the pool's thresholds and skill catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.platforms.services import member_invite
from pairs.territory.models import Commune

from ..models import (
    AbsenceKind,
    AvailabilityException,
    AvailabilitySlot,
    DayPart,
    PeerProfile,
    PeerStatus,
    PoolSettings,
    Skill,
)
from .career import onboarding_start

OVERLAP_CONSTRAINT = "availability_exception_no_overlap"
MAX_CONTRACT_HOURS = Decimal("48")
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_EXTENSIONS = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}
LANGUAGE_MAX_LENGTH = 40
LANGUAGES_MAX = 15

# Threshold bounds of the pool settings: (field, minimum, maximum).
SETTINGS_BOUNDS = {
    "max_workplaces_per_week": (1, 20),
    "max_hours_ratio_percent": (50, 300),
    "max_weeks_without_supervision": (1, 52),
}


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_contract(
    errors: dict[str, list[str]],
    *,
    platform: Platform,
    status: str,
    contract_hours: Decimal,
    home_commune: Commune | None,
) -> None:
    if status not in PeerStatus.values:
        _add(errors, "status", _("Choisissez un statut de la liste."))
    if contract_hours < 0 or contract_hours > MAX_CONTRACT_HOURS:
        _add(errors, "contract_hours", _("Les heures au contrat doivent être comprises entre 0 et 48 par semaine."))
    if home_commune is not None and home_commune.department_code not in platform.department_codes:
        _add(errors, "home_commune", _("Cette commune n'est pas sur le territoire de la plateforme."))


def clean_languages(values: Iterable[str]) -> list[str]:
    """Trim, drop empty values and duplicates (whatever the case), keep the order typed."""
    seen: set[str] = set()
    result = []
    for value in values:
        language = " ".join(value.split())
        if language and language.casefold() not in seen:
            seen.add(language.casefold())
            result.append(language)
    return result


# ---- Adding a peer worker


@transaction.atomic
def peer_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    email: str,
    first_name: str,
    last_name: str,
    status: str,
    status_start: date,
    contract_hours: Decimal,
    home_commune: Commune | None,
    tutor: PeerProfile | None,
    start_onboarding: bool,
) -> PeerProfile:
    """Give a person the peer-worker role (creating their account and sending the
    invitation), create their profile and, with a tutor, start their onboarding path."""
    from pairs.accounts.models import normalize_email

    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    _check_contract(errors, platform=platform, status=status, contract_hours=contract_hours, home_commune=home_commune)
    if tutor is not None and (
        tutor.platform_id != platform.pk or not tutor.is_active_on(today) or not tutor.membership.is_active
    ):
        _add(errors, "tutor", _("Le tuteur ou la tutrice doit être un·e pair aidant·e en activité sur la plateforme."))
    if start_onboarding and tutor is None:
        _add(errors, "tutor", _("Choisissez un tuteur ou une tutrice pour démarrer le parcours d'intégration."))
    existing = (
        Membership.objects.filter(platform=platform, role=Role.PEER_WORKER, user__email=normalize_email(email))
        .select_related("peer_profile")
        .first()
    )
    if existing is not None and hasattr(existing, "peer_profile"):
        _add(errors, "email", _("Cette personne est déjà pair aidant·e sur la plateforme."))
    _errors(errors)

    if existing is not None:
        # The role was given from "Comptes et rôles": complete it with its profile.
        membership = existing
    else:
        membership = member_invite(
            request=request,
            platform=platform,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=Role.PEER_WORKER,
        )
    profile = PeerProfile.objects.create(
        platform=platform,
        membership=membership,
        status=status,
        status_start=status_start,
        contract_hours=contract_hours,
        home_commune=home_commune,
    )
    fields = ["membership", "status", "status_start", "contract_hours"]
    if home_commune is not None:
        fields.append("home_commune")
    journal.log_create(request=request, obj=profile, fields=fields, platform=platform)
    if tutor is not None and start_onboarding:
        onboarding_start(request=request, profile=profile, tutor=tutor, started_on=max(today, status_start))
    return profile


# ---- The coordination's edit: status, contract, zones, skills, publication


def _ids(objects: Iterable[Commune | Skill]) -> set[object]:
    return {obj.pk for obj in objects}


@transaction.atomic
def peer_update_contract(
    *,
    request: HttpRequest | None,
    profile: PeerProfile,
    status: str,
    status_start: date,
    status_end: date | None,
    contract_hours: Decimal,
    home_commune: Commune | None,
    zones: Iterable[Commune],
    skills: Iterable[Skill],
    presentation_published: bool,
) -> list[str]:
    """Change what the coordination decides. Ending a status keeps the whole history."""
    platform = profile.platform
    zones = list(zones)
    skills = list(skills)
    errors: dict[str, list[str]] = {}
    _check_contract(errors, platform=platform, status=status, contract_hours=contract_hours, home_commune=home_commune)
    if status_end is not None and status_end < status_start:
        _add(errors, "status_end", _("La date de fin doit être le même jour que le début, ou après."))
    if any(commune.department_code not in platform.department_codes for commune in zones):
        _add(errors, "zones", _("Certaines communes ne sont pas sur le territoire de la plateforme."))
    if any(skill.platform_id != platform.pk for skill in skills):
        _add(errors, "skills", _("Choisissez les compétences dans le catalogue de la plateforme."))
    if presentation_published and not profile.presentation.strip():
        _add(errors, "presentation_published", _("La présentation est vide : il n'y a rien à publier."))
    _errors(errors)

    values = {
        "status": status,
        "status_start": status_start,
        "status_end": status_end,
        "contract_hours": contract_hours,
        "home_commune": home_commune,
        "presentation_published": presentation_published,
    }
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if _ids(profile.zones.all()) != _ids(zones):
        profile.zones.set(zones)
        changed.append("zones")
    if _ids(profile.skills.all()) != _ids(skills):
        profile.skills.set(skills)
        changed.append("skills")
    if changed:
        journal.log_update(request=request, obj=profile, fields=changed, platform=platform)
    return changed


# ---- The worker's own profile


def photo_check(photo: UploadedFile) -> str:
    """The photo's extension (".jpg", ".png"...) if it is acceptable; a French error otherwise."""
    extension = PurePath(photo.name or "").suffix.lower()
    if extension not in PHOTO_EXTENSIONS:
        raise ValidationError({"photo": [_("La photo doit être un fichier JPEG ou PNG (.jpg, .jpeg ou .png).")]})
    if photo.size is None or photo.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": [_("La photo est trop lourde : 2 Mo au plus.")]})
    photo.seek(0)
    head = photo.read(8)
    photo.seek(0)
    if not head.startswith(PHOTO_EXTENSIONS[extension]):
        raise ValidationError({"photo": [_("Ce fichier n'est pas une image JPEG ou PNG lisible.")]})
    return extension


@transaction.atomic
def peer_update_own(
    *,
    request: HttpRequest | None,
    profile: PeerProfile,
    presentation: str,
    languages: Iterable[str],
    background: str,
    experiential_themes: str,
    skills: Iterable[Skill],
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> list[str]:
    """The worker's own words. A changed presentation goes back to unpublished until the
    coordination publishes it again."""
    skills = list(skills)
    if any(skill.platform_id != profile.platform_id for skill in skills):
        raise ValidationError({"skills": [_("Choisissez les compétences dans le catalogue de la plateforme.")]})
    cleaned = clean_languages(languages)
    if len(cleaned) > LANGUAGES_MAX:
        raise ValidationError({"languages": [_("Indiquez au plus 15 langues.")]})
    if any(len(language) > LANGUAGE_MAX_LENGTH for language in cleaned):
        raise ValidationError({"languages": [_("Chaque langue tient en 40 caractères au plus.")]})
    extension = photo_check(photo) if photo is not None else ""

    values = {
        "presentation": presentation.strip(),
        "languages": cleaned,
        "background": background.strip(),
        "experiential_themes": experiential_themes.strip(),
    }
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if "presentation" in changed and profile.presentation_published:
        profile.presentation_published = False
        changed.append("presentation_published")
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save(f"{uuid.uuid4().hex}{extension}", photo, save=False)
        changed.append("photo")
    elif remove_photo and old_photo:
        profile.photo = ""  # type: ignore[assignment]
        changed.append("photo")
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if old_photo and "photo" in changed:
        transaction.on_commit(partial(profile.photo.storage.delete, old_photo))
    if _ids(profile.skills.all()) != _ids(skills):
        profile.skills.set(skills)
        changed.append("skills")
    if changed:
        journal.log_update(request=request, obj=profile, fields=changed, platform=profile.platform)
    return changed


# ---- Availability


@transaction.atomic
def availability_set_pattern(*, profile: PeerProfile, slots: Iterable[tuple[int, str]]) -> bool:
    """Replace the weekly pattern by ``slots`` (weekday 0-6, part of the day). True if changed."""
    wanted = set()
    for weekday, part in slots:
        if not 0 <= int(weekday) <= 6 or part not in DayPart.values:
            raise ValidationError(_("Ce créneau n'existe pas."))
        wanted.add((int(weekday), str(part)))
    current = set(AvailabilitySlot.objects.filter(profile=profile).values_list("weekday", "part"))
    removed = current - wanted
    added = wanted - current
    for weekday, part in removed:
        AvailabilitySlot.objects.filter(profile=profile, weekday=weekday, part=part).delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(profile=profile, weekday=weekday, part=part) for weekday, part in sorted(added)
    )
    return bool(removed or added)


def _constraint_name(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return str(getattr(diag, "constraint_name", "") or "")


@transaction.atomic
def availability_absence_add(
    *, request: HttpRequest | None, profile: PeerProfile, start: date, end: date, kind: str
) -> AvailabilityException:
    """A period when the worker is not available, both days included. Two periods of a
    worker never overlap (the database refuses it; the person gets a French message)."""
    errors: dict[str, list[str]] = {}
    if end < start:
        _add(errors, "end", _("La fin doit être le même jour que le début, ou après."))
    if kind not in AbsenceKind.values:
        _add(errors, "kind", _("Choisissez un motif de la liste."))
    _errors(errors)
    try:
        with transaction.atomic():
            absence = AvailabilityException.objects.create(
                profile=profile, period=DateRange(start, end, "[]"), kind=kind
            )
    except IntegrityError as error:
        if _constraint_name(error) == OVERLAP_CONSTRAINT:
            raise ValidationError(
                _("Cette période chevauche une indisponibilité déjà saisie."), code="overlap"
            ) from error
        raise
    journal.log_create(request=request, obj=absence, fields=["period", "kind"], platform=profile.platform)
    return absence


@transaction.atomic
def availability_absence_delete(*, request: HttpRequest | None, absence: AvailabilityException) -> None:
    journal.log_delete(request=request, obj=absence, platform=absence.profile.platform)
    absence.delete()


# ---- The pool's thresholds and skill catalogue


@transaction.atomic
def pool_settings_update(
    *,
    request: HttpRequest | None,
    platform: Platform,
    max_workplaces_per_week: int,
    max_hours_ratio_percent: int,
    max_weeks_without_supervision: int,
) -> list[str]:
    """Change the alert thresholds (the row is created on the first save)."""
    values = {
        "max_workplaces_per_week": max_workplaces_per_week,
        "max_hours_ratio_percent": max_hours_ratio_percent,
        "max_weeks_without_supervision": max_weeks_without_supervision,
    }
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        low, high = SETTINGS_BOUNDS[name]
        if not low <= value <= high:
            _add(errors, name, _("Choisissez une valeur entre %(low)s et %(high)s.") % {"low": low, "high": high})
    _errors(errors)
    settings_row, created = PoolSettings.objects.select_for_update().get_or_create(platform=platform, defaults=values)
    changed = sorted(values) if created else [name for name, v in values.items() if getattr(settings_row, name) != v]
    if not created and changed:
        for name in changed:
            setattr(settings_row, name, values[name])
        settings_row.save(update_fields=changed)
    if changed:
        journal.log_update(request=request, obj=settings_row, fields=changed, platform=platform)
    return changed


@transaction.atomic
def skill_add(*, request: HttpRequest | None, platform: Platform, name: str) -> Skill:
    """A new skill in the platform's catalogue (names are unique, whatever the case)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Indiquez le nom de la compétence.")]})
    if len(name) > 80:
        raise ValidationError({"name": [_("Le nom tient en 80 caractères au plus.")]})
    if Skill.objects.filter(platform=platform, name__iexact=name).exists():
        raise ValidationError({"name": [_("Cette compétence existe déjà dans le catalogue.")]})
    skill = Skill.objects.create(platform=platform, name=name)
    journal.log_create(request=request, obj=skill, fields=["name"], platform=platform)
    return skill
