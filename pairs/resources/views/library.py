"""The library: documents and links by topic and audience, visible according to each one's rules and
searchable in French; adding (type-checked, size-limited uploads), editing, downloading; the
hosting-prerequisites checklist as a PDF; the public library."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.LIBRARY)
def document_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.LIBRARY_MANAGE)
def document_create(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.LIBRARY_MANAGE)
def document_edit(request: PlatformRequest, document_id: int) -> HttpResponse:
    raise Http404


@permission(policies.LIBRARY)
def document_download(request: PlatformRequest, document_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PREREQUISITES_PDF)
def prerequisites_pdf(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC)
def public_library(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    raise Http404


@permission(policies.PUBLIC)
def public_download(request: PlatformRequest, document_token: str) -> HttpResponse:
    raise Http404
