"""Checks of uploaded files shared by every upload (library documents, signed contracts…): the kind
of a file by its name's extension AND its content (first bytes; for a zip container such as ODF or
OOXML, the members it must hold), and its size, with French messages keyed by the form field."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ODF_MIMETYPE_MAX_BYTES = 100


@dataclass(frozen=True)
class FileKind:
    """A kind of file accepted for upload: how it is named to people, the type it is served with, the
    bytes it starts with and, for zip containers (ODF, OOXML), what the container must hold."""

    label: str
    content_type: str
    magic: bytes
    zip_members: tuple[str, ...] = ()
    odf_mimetype: str = ""  # the content of an OpenDocument's "mimetype" member


ZIP_MAGIC = b"PK\x03\x04"
PDF = FileKind("PDF", "application/pdf", b"%PDF-")
PNG = FileKind("PNG", "image/png", b"\x89PNG\r\n\x1a\n")
JPEG = FileKind("JPEG", "image/jpeg", b"\xff\xd8\xff")
ODT = FileKind(
    "ODT",
    "application/vnd.oasis.opendocument.text",
    ZIP_MAGIC,
    zip_members=("mimetype",),
    odf_mimetype="application/vnd.oasis.opendocument.text",
)
ODS = FileKind(
    "ODS",
    "application/vnd.oasis.opendocument.spreadsheet",
    ZIP_MAGIC,
    zip_members=("mimetype",),
    odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
)
DOCX = FileKind(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ZIP_MAGIC,
    zip_members=("[Content_Types].xml", "word/document.xml"),
)
XLSX = FileKind(
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ZIP_MAGIC,
    zip_members=("[Content_Types].xml", "xl/workbook.xml"),
)


def kind_of(name: str | None, kinds: Mapping[str, FileKind]) -> FileKind | None:
    """The kind of a file by its name's extension (None when it is not accepted)."""
    return kinds.get(PurePath(name or "").suffix.lower())


def _zip_holds(upload: UploadedFile, kind: FileKind) -> bool:
    if upload.file is None:
        return False
    try:
        with zipfile.ZipFile(cast(IO[bytes], upload.file)) as archive:
            names = set(archive.namelist())
            if any(member not in names for member in kind.zip_members):
                return False
            if kind.odf_mimetype:
                info = archive.getinfo("mimetype")
                if info.file_size > ODF_MIMETYPE_MAX_BYTES:
                    return False
                return archive.read(info).decode("ascii", "replace").strip() == kind.odf_mimetype
            return True
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        return False


def content_matches(upload: UploadedFile, kind: FileKind) -> bool:
    upload.seek(0)
    head = upload.read(len(kind.magic))
    upload.seek(0)
    if head != kind.magic:
        return False
    if kind.zip_members:
        matches = _zip_holds(upload, kind)
        upload.seek(0)
        return matches
    return True


def upload_check(
    upload: UploadedFile, *, field: str, kinds: Mapping[str, FileKind], max_bytes: int, accepted: str, limit: str
) -> tuple[str, FileKind]:
    """The extension and kind of an uploaded file, checked by its name AND its content (first bytes;
    for a zip container, the members its kind must hold), and its size (``max_bytes`` at most,
    ``limit`` in words). Else a ValidationError keyed by ``field``, in French, asking to choose the
    file again (a browser never sends a file twice)."""
    again = _("Choisissez à nouveau le fichier.")

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: [message + " " + again]})

    suffix = PurePath(upload.name or "").suffix.lower()
    kind = kinds.get(suffix)
    if kind is None:
        raise refuse(_("Ce type de fichier n'est pas accepté : %(accepted)s seulement.") % {"accepted": accepted})
    if not upload.size:
        raise refuse(_("Ce fichier est vide."))
    if upload.size > max_bytes:
        raise refuse(_("Le fichier est trop lourd : %(limit)s au plus.") % {"limit": limit})
    if not content_matches(upload, kind):
        raise refuse(
            _("Le contenu de ce fichier n'est pas celui d'un fichier %(kind)s : il est abîmé, ou a été renommé.")
            % {"kind": kind.label}
        )
    return suffix, kind
