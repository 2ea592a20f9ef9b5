"""Writes of instruments: importing a definition file (validated by the engine), installing the demo
instruments, recording a licence permission, offering an instrument for campaigns; and the licence gate
that campaigns call before they start."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.platforms.models import Platform

from ..engine import Definition, DefinitionError, demo_files, load_definition
from ..models import Instrument, Licence, LicencePermission

DEFINITION_MAX_BYTES = 200 * 1024
DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")
REFERENCE_MAX_LENGTH = 300

INSTRUMENT_FIELDS = (
    "code",
    "version",
    "name",
    "language",
    "licence",
    "is_demo",
    "definition",
    "source_text",
    "active",
)
PERMISSION_FIELDS = ("reference", "granted_on", "valid_until")


# ---- Reading and checking a definition


def definition_text_from_upload(upload: UploadedFile) -> str:
    """The text of an uploaded definition file: .yaml, .yml or .json, 200 KB at most, in UTF-8."""
    again = _("Choisissez à nouveau le fichier.")
    if PurePath(upload.name or "").suffix.lower() not in DEFINITION_SUFFIXES:
        raise ValidationError(
            {"file": [_("La définition doit être un fichier YAML ou JSON (.yaml, .yml ou .json).") + " " + again]}
        )
    if upload.size is None or upload.size > DEFINITION_MAX_BYTES:
        raise ValidationError({"file": [_("Le fichier est trop lourd : 200 Ko au plus.") + " " + again]})
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return definition_text_from_bytes(content, field="file")


def definition_text_from_bytes(content: bytes, *, field: str) -> str:
    if len(content) > DEFINITION_MAX_BYTES:
        raise ValidationError({field: [_("La définition est trop longue : 200 Ko au plus.")]})
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ValidationError(
            {
                field: [
                    _("Ligne %(line)d : le fichier n'est pas en UTF-8. Enregistrez-le en UTF-8 puis recommencez.")
                    % {"line": line}
                ]
            }
        ) from error
    return text.removeprefix("\ufeff")


def normalise(text: str) -> str:
    """The text with plain line ends (a browser sends a form's text with CR LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def definition_check(text: str) -> Definition:
    """The definition described by the text, or a ValidationError listing every French message of the
    engine ("Ligne N : …"), in the order of the file."""
    text = normalise(text)
    if not text.strip():
        raise ValidationError([_("La définition est vide : choisissez un fichier ou collez son contenu.")])
    if len(text.encode("utf-8")) > DEFINITION_MAX_BYTES:
        raise ValidationError([_("La définition est trop longue : 200 Ko au plus.")])
    try:
        return load_definition(text)
    except DefinitionError as error:
        raise ValidationError(error.messages()) from error


def _exists(platform: Platform, definition: Definition) -> bool:
    return Instrument.objects.filter(platform=platform, code=definition.code, version=definition.version).exists()


def _create(
    *, request: HttpRequest | None, platform: Platform, by: User | None, definition: Definition, text: str
) -> Instrument:
    instrument = Instrument.objects.create(
        platform=platform,
        code=definition.code,
        version=definition.version,
        name=definition.name,
        language=definition.language,
        licence=definition.licence,
        is_demo=definition.demo,
        definition=definition.as_dict(),
        source_text=text,
        imported_by=by,
    )
    extra = {"actor": by} if request is None and by is not None else {}
    journal.log_create(request=request, obj=instrument, fields=INSTRUMENT_FIELDS, platform=platform, **extra)
    return instrument


@transaction.atomic
def instrument_import(*, request: HttpRequest | None, platform: Platform, by: User | None, text: str) -> Instrument:
    """Import a definition: validated again, refused when the platform already has this version."""
    text = normalise(text)
    definition = definition_check(text)
    Platform.objects.select_for_update().filter(pk=platform.pk).first()  # one import at a time per platform
    if _exists(platform, definition):
        raise ValidationError([_("Cette version est déjà importée.")])
    return _create(request=request, platform=platform, by=by, definition=definition, text=text)


@transaction.atomic
def demo_instruments_install(*, request: HttpRequest | None, platform: Platform, by: User | None) -> list[Instrument]:
    """Install the demo instruments the platform does not have yet; the new rows are returned."""
    Platform.objects.select_for_update().filter(pk=platform.pk).first()
    created = []
    for path in demo_files():
        text = path.read_text(encoding="utf-8")
        definition = definition_check(text)
        if not _exists(platform, definition):
            created.append(_create(request=request, platform=platform, by=by, definition=definition, text=text))
    return created


# ---- Licence permissions and campaign use


def permission_errors(
    *, instrument: Instrument, reference: str, granted_on: date | None, valid_until: date | None, today: date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if instrument.licence == Licence.FREE:
        errors.setdefault("__all__", []).append(_("Cet instrument est libre : aucune autorisation n'est à noter."))
    if not reference.strip():
        errors.setdefault("reference", []).append(_("Indiquez la référence de l'autorisation."))
    elif len(reference.strip()) > REFERENCE_MAX_LENGTH:
        errors.setdefault("reference", []).append(_("La référence tient en 300 caractères au plus."))
    if granted_on is not None and granted_on > today:
        errors.setdefault("granted_on", []).append(_("La date de l'autorisation ne peut pas être dans le futur."))
    if granted_on is not None and valid_until is not None and valid_until < granted_on:
        errors.setdefault("valid_until", []).append(_("La fin de validité doit suivre la date de l'autorisation."))
    return errors


@transaction.atomic
def permission_record(
    *,
    request: HttpRequest | None,
    instrument: Instrument,
    by: User,
    reference: str,
    granted_on: date,
    valid_until: date | None,
) -> LicencePermission:
    """Record the permission or licence the platform obtained for an instrument that needs one."""
    errors = permission_errors(
        instrument=instrument,
        reference=reference,
        granted_on=granted_on,
        valid_until=valid_until,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    permission = LicencePermission.objects.create(
        platform_id=instrument.platform_id,
        instrument=instrument,
        reference=reference.strip(),
        granted_on=granted_on,
        valid_until=valid_until,
        recorded_by=by,
    )
    journal.log_create(request=request, obj=permission, fields=PERMISSION_FIELDS)
    return permission


@transaction.atomic
def instrument_active_set(*, request: HttpRequest | None, instrument: Instrument, active: bool) -> bool:
    """Offer the instrument for new campaigns, or stop offering it. True when something changed."""
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if locked.active == active:
        return False
    locked.active = active
    locked.save(update_fields=["active"])
    instrument.active = active
    journal.log_update(request=request, obj=locked, fields=["active"])
    return True


def permission_valid(instrument: Instrument, today: date) -> bool:
    return (
        LicencePermission.objects.filter(instrument=instrument, granted_on__lte=today)
        .exclude(valid_until__lt=today)
        .exists()
    )


def require_usable(instrument: Instrument) -> None:
    """The licence gate of campaigns: a free instrument, or one whose permission is on record and valid
    today. Campaigns call this before they start."""
    if instrument.licence == Licence.FREE:
        return
    if not permission_valid(instrument, timezone.localdate()):
        raise ValidationError(
            _("Cet instrument demande une autorisation de ses auteurs : notez-la avant de lancer une campagne.")
        )
