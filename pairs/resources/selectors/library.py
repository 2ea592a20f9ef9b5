"""Reads of the library: the documents each role may see, French full-text search with filters, the
public documents, and the hosting-prerequisites checklist.

Who sees what (``Document.visibility``):

- PUBLIC: everyone, signed in or not (the public page of the platform);
- PARTNERS: partner contacts, and the platform's team (coordinators and peer workers);
- PEERS: peer workers and coordinators;
- STAFF: coordinators only (the coordination team).

Persons supported by the platform and funders see PUBLIC documents only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pairs.deployments import selectors as deployment_reads
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from ..models import Document, Visibility
from . import _int

SEARCH_CONFIG = "pairs_french"
PAGE_SIZE = 50
KIB = 1024
MIB = 1024 * 1024

VISIBLE_TO: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: (Visibility.PUBLIC, Visibility.PARTNERS, Visibility.PEERS, Visibility.STAFF),
    Role.PEER_WORKER: (Visibility.PUBLIC, Visibility.PARTNERS, Visibility.PEERS),
    Role.PARTNER_CONTACT: (Visibility.PUBLIC, Visibility.PARTNERS),
}


def visibilities_for(request: PlatformRequest) -> tuple[str, ...]:
    """The visibilities the request's role may see (PUBLIC only for persons, funders, others)."""
    role = request.membership.role if request.membership is not None else ""
    return VISIBLE_TO.get(role, (Visibility.PUBLIC,))


def visible_documents(request: PlatformRequest) -> QuerySet[Document]:
    """The documents of the request's platform its role may see (rules in the module docstring)."""
    return Document.objects.filter(platform=request.platform, visibility__in=visibilities_for(request)).defer("search")


def public_documents(platform: Platform) -> QuerySet[Document]:
    """The platform's PUBLIC documents (the page anyone can read)."""
    return Document.objects.filter(platform=platform, visibility=Visibility.PUBLIC).defer("search")


def search_documents(documents: QuerySet[Document], *, q: str = "", topic: str = "", audience: str = "") -> Any:
    """The documents matching the words typed (French: accents ignored, words stemmed, web-search
    syntax: "quoted phrase", -excluded, or), best first (title matches before summary matches), and
    the topic and audience chosen. Without words: by title."""
    if topic:
        documents = documents.filter(topic=topic)
    if audience:
        documents = documents.filter(audience=audience)
    q = q.strip()
    if not q:
        return documents.order_by("title", "id")
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    return documents.filter(search=query).annotate(rank=SearchRank(F("search"), query)).order_by("-rank", "title", "id")


def get_document_for(request: PlatformRequest, document_id: Any) -> Document:
    """A document of the request's platform, whatever its visibility (the coordination's pages), or 404."""
    return get_object_or_404(Document.objects.filter(platform=request.platform), pk=_int(document_id))


def get_visible_document(request: PlatformRequest, document_id: Any) -> Document:
    """A document the request may see, or 404 (never 403: its existence stays hidden)."""
    return get_object_or_404(visible_documents(request), pk=_int(document_id))


def public_document_by_token(token: str) -> Document | None:
    """A PUBLIC document of an active platform by its public link (call unscoped)."""
    return (
        Document.objects.filter(token=token, visibility=Visibility.PUBLIC, platform__is_active=True)
        .defer("search")
        .first()
    )


# ---- What a list shows of each document


def size_label(size: int | None) -> str:
    """ "240 Ko", "1,5 Mo" ("" when unknown)."""
    if not size:
        return ""
    if size < MIB:
        return _("%(size)s Ko") % {"size": number_format(max(1, round(size / KIB)))}
    value = round(size / MIB, 1)
    shown = number_format(int(value)) if value == int(value) else number_format(value, decimal_pos=1)
    return _("%(size)s Mo") % {"size": shown}


def kind_label(name: str | None) -> str:
    """The kind of a stored file, by its extension: "PDF", "DOCX", "JPEG"."""
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    return "JPEG" if suffix == "jpg" else suffix.upper()


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    kind: str  # "PDF" ("" for a link)
    size: str  # "240 Ko" ("" for a link)
    domain: str  # "exemple.org" for a link ("" for a file)

    @property
    def is_link(self) -> bool:
        return not self.document.file


def document_rows(documents: Iterable[Document]) -> list[DocumentRow]:
    rows = []
    for document in documents:
        if document.file:
            rows.append(DocumentRow(document, kind_label(document.file.name), size_label(document.file_size), ""))
        else:
            host = urlsplit(document.url).hostname or ""
            rows.append(DocumentRow(document, "", "", host.removeprefix("www.")))
    return rows


# ---- The hosting-prerequisites checklist


def prerequisite_labels(platform: Platform) -> list[tuple[str, bool]]:
    """The platform's checklist (deployments' prerequisites template): (label, required) in order."""
    return [(item.label, item.required) for item in deployment_reads.prerequisite_template_list(platform)]
