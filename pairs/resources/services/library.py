"""Writes of the library: adding, changing and removing documents (a file or a link), with the checks
of uploaded files (type by extension and by content, size) and the French full-text vector kept up to
date after each save."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from functools import partial
from pathlib import PurePath
from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.core.uploads import DOCX, JPEG, ODS, ODT, PDF, PNG, XLSX, FileKind, kind_of, upload_check
from pairs.journal import services as journal
from pairs.platforms.models import Platform

from ..models import Audience, Document, Topic, Visibility

__all__ = [
    "LIBRARY_KINDS",
    "LIBRARY_MAX_BYTES",
    "FileKind",
    "document_create",
    "document_delete",
    "document_update",
    "kind_of",
    "upload_check",
]

SEARCH_CONFIG = "pairs_french"
TOKEN_BYTES = 32  # 43 characters once encoded
TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 2000
URL_MAX_LENGTH = 200
FILE_NAME_MAX_LENGTH = 200

DOCUMENT_FIELDS = ("title", "summary", "topic", "audience", "visibility", "url")
FILE_FIELDS = ("file", "file_name", "file_size")


# ---- Checking an uploaded file

LIBRARY_KINDS: Mapping[str, FileKind] = {
    ".pdf": PDF,
    ".odt": ODT,
    ".docx": DOCX,
    ".ods": ODS,
    ".xlsx": XLSX,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}
LIBRARY_MAX_BYTES = 10 * 1024 * 1024


def library_upload_check(upload: UploadedFile) -> tuple[str, FileKind]:
    """A library file: PDF, ODT, DOCX, ODS, XLSX, PNG or JPEG, 10 MB at most."""
    return upload_check(
        upload,
        field="file",
        kinds=LIBRARY_KINDS,
        max_bytes=LIBRARY_MAX_BYTES,
        accepted=_("PDF, ODT, DOCX, ODS, XLSX, PNG ou JPEG"),
        limit=_("10 Mo"),
    )


# ---- Documents


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _values(
    *, title: str, summary: str, topic: str, audience: str, visibility: str, url: str
) -> tuple[dict[str, str], dict[str, list[str]]]:
    values = {
        "title": title.strip(),
        "summary": summary.strip(),
        "topic": topic,
        "audience": audience,
        "visibility": visibility,
        "url": url.strip(),
    }
    errors: dict[str, list[str]] = {}
    if not values["title"]:
        _add(errors, "title", _("Indiquez le titre du document."))
    elif len(values["title"]) > TITLE_MAX_LENGTH:
        _add(errors, "title", _("Le titre tient en 200 caractères au plus."))
    if len(values["summary"]) > SUMMARY_MAX_LENGTH:
        _add(errors, "summary", _("Le résumé tient en 2 000 caractères au plus."))
    if topic not in Topic.values:
        _add(errors, "topic", _("Choisissez un thème."))
    if audience not in Audience.values:
        _add(errors, "audience", _("Choisissez pour qui est ce document."))
    if visibility not in Visibility.values:
        _add(errors, "visibility", _("Choisissez qui peut voir ce document."))
    if values["url"]:
        parts = urlsplit(values["url"])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            _add(errors, "url", _("Indiquez une adresse web complète, qui commence par https://"))
        elif len(values["url"]) > URL_MAX_LENGTH:
            _add(errors, "url", _("Le lien tient en 200 caractères au plus."))
    return values, errors


def _check_upload(upload: UploadedFile | None, errors: dict[str, list[str]]) -> str:
    """The extension of a valid upload ("" without one); its messages go into ``errors``."""
    if upload is None:
        return ""
    try:
        suffix, _kind = library_upload_check(upload)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        return ""
    return suffix


def _both_error(errors: dict[str, list[str]]) -> None:
    _add(
        errors,
        "url",
        _(
            "Un document est un fichier ou un lien, pas les deux : videz le lien pour garder le fichier "
            "(choisissez-le à nouveau), ou gardez le lien sans fichier."
        ),
    )


def _shown_name(upload: UploadedFile, suffix: str) -> str:
    name = PurePath(upload.name or "").name.strip() or f"document{suffix}"
    if len(name) > FILE_NAME_MAX_LENGTH:
        name = PurePath(name).stem[: FILE_NAME_MAX_LENGTH - len(suffix)] + suffix
    return name


def _store(document: Document, upload: UploadedFile, suffix: str) -> None:
    """Keep the upload under a random name; the original name is only shown on download."""
    document.file_name = _shown_name(upload, suffix)
    document.file_size = upload.size
    upload.seek(0)
    document.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)


def _delete_stored(document: Document, name: str) -> None:
    """Delete a stored file once the transaction is committed (kept if it rolls back)."""
    if name:
        transaction.on_commit(partial(document.file.storage.delete, name))


def _index(document: Document) -> None:
    """Refresh the French full-text vector: the title weighs more (A) than the summary (B)."""
    Document.objects.filter(pk=document.pk).update(
        search=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
    )


@transaction.atomic
def document_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    by: User,
    title: str,
    summary: str,
    topic: str,
    audience: str,
    visibility: str,
    upload: UploadedFile | None,
    url: str,
) -> Document:
    """Add a document to the platform's library: exactly one of a file (checked, stored under a
    random name) and a link."""
    values, errors = _values(
        title=title, summary=summary, topic=topic, audience=audience, visibility=visibility, url=url
    )
    suffix = _check_upload(upload, errors)
    if upload is not None and values["url"]:
        _both_error(errors)
    elif upload is None and not values["url"]:
        _add(errors, "file", _("Choisissez un fichier, ou indiquez un lien."))
    if errors:
        raise ValidationError(errors)
    document = Document(platform=platform, added_by=by, token=new_token(), **values)
    if upload is not None:
        _store(document, upload, suffix)
    document.save()
    _index(document)
    fields = [name for name in DOCUMENT_FIELDS if values[name]]
    if upload is not None:
        fields.extend(FILE_FIELDS)
    journal.log_create(request=request, obj=document, fields=fields, platform=platform)
    return document


@transaction.atomic
def document_update(
    *,
    request: HttpRequest | None,
    document: Document,
    title: str,
    summary: str,
    topic: str,
    audience: str,
    visibility: str,
    upload: UploadedFile | None,
    url: str,
) -> Document:
    """Change a document. A new file replaces the stored one; a link typed for a document that held
    a file turns it into a link; without either, the stored file stays. A replaced file is deleted
    once the change is committed."""
    locked = Document.objects.select_for_update().select_related("platform").get(pk=document.pk)
    values, errors = _values(
        title=title, summary=summary, topic=topic, audience=audience, visibility=visibility, url=url
    )
    suffix = _check_upload(upload, errors)
    if upload is not None and values["url"]:
        _both_error(errors)
    elif upload is None and not values["url"] and not locked.file:
        _add(errors, "url", _("Indiquez un lien, ou choisissez un fichier."))
    if errors:
        raise ValidationError(errors)

    changed = [name for name in DOCUMENT_FIELDS if getattr(locked, name) != values[name]]
    for name in changed:
        setattr(locked, name, values[name])
    old_file = locked.file.name if locked.file else ""
    if upload is not None:
        _store(locked, upload, suffix)
        changed.extend(FILE_FIELDS)
    elif values["url"] and old_file:
        locked.file = ""
        locked.file_name = ""
        locked.file_size = None
        changed.extend(FILE_FIELDS)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        if {"title", "summary"} & set(changed):
            _index(locked)
        journal.log_update(request=request, obj=locked, fields=changed, platform=locked.platform)
    if old_file and "file" in changed:
        _delete_stored(locked, old_file)
    return locked


@transaction.atomic
def document_delete(*, request: HttpRequest | None, document: Document) -> None:
    """Remove a document from the library; its file is deleted once the removal is committed."""
    locked = Document.objects.select_for_update().select_related("platform").get(pk=document.pk)
    stored = locked.file.name if locked.file else ""
    journal.log_delete(request=request, obj=locked, platform=locked.platform)
    if stored:
        _delete_stored(locked, stored)
    locked.delete()
