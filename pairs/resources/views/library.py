"""The library: documents and links by topic and audience, visible according to each one's rules and
searchable in French; adding (type-checked, size-limited uploads), editing, downloading; the
hosting-prerequisites checklist as a PDF; the public library."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.core.pdf import RunningText, render_pdf
from pairs.deployments.services import DEFAULT_PREREQUISITES
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies, selectors
from ..forms.library import DocumentDeleteForm, DocumentForm, LibrarySearchForm
from ..models import Document, Visibility
from ..selectors import library as reads
from ..services import library as writes

PREREQUISITES_FILENAME = "prerequis-accueil-pair-aidant.pdf"


def _search_context(request: PlatformRequest, documents: Any) -> dict[str, Any]:
    """The search form, the page of results asked for and what each row shows."""
    search = LibrarySearchForm(request.GET)
    filters = search.filters()
    page = Paginator(reads.search_documents(documents, **filters), reads.PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "search": search,
        "searching": any(filters.values()),
        "words": filters["q"],
        "page": page,
        "rows": reads.document_rows(page.object_list),
        "query": search.query_string(),
    }


def _file_response(document: Document) -> FileResponse:
    """The stored file as an attachment under its original name; a link has no file (404)."""
    if not document.file:
        raise Http404
    kind = writes.kind_of(document.file.name, writes.LIBRARY_KINDS)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=document.file_name or document.file.name or "")
    response["Content-Type"] = kind.content_type if kind is not None else "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    if document.visibility != Visibility.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response


# ---- The library of the platform's members


@permission(policies.LIBRARY)
@require_http_methods(["GET"])
def document_list(request: PlatformRequest) -> HttpResponse:
    """The documents the role may see, searched and filtered, 50 a page."""
    context = {
        **_search_context(request, reads.visible_documents(request)),
        "coordinator": selectors.is_coordinator(request),
        "prerequisites": policies.PREREQUISITES_PDF.allows(request),
    }
    return render(request, "resources/library.html", context)


def _render_form(
    request: PlatformRequest,
    form: DocumentForm,
    document: Document | None,
    delete_form: DocumentDeleteForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "document": document, "delete_form": delete_form or DocumentDeleteForm()}
    if document is not None:
        context["row"] = reads.document_rows([document])[0]
    return render(request, "resources/document_form.html", context)


@permission(policies.LIBRARY_MANAGE)
@require_http_methods(["GET", "POST"])
def document_create(request: PlatformRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        if form.is_valid():
            try:
                document = writes.document_create(
                    request=request, platform=request.platform, by=request.user, **form.service_data()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Le document « %(title)s » est ajouté.") % {"title": document.title})
                return redirect("resources:library")
        form.file_to_choose_again()
    return _render_form(request, form, None)


@permission(policies.LIBRARY_MANAGE)
def document_edit(request: PlatformRequest, document_id: int) -> HttpResponse:
    """Change a document (a new file replaces the stored one), or remove it after confirmation."""
    document = reads.get_document_for(request, document_id)  # another platform's: 404 whatever the method
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    posted = request.method == "POST"
    if posted and request.POST.get("action") == "delete":
        delete_form = DocumentDeleteForm(request.POST)
        if delete_form.is_valid():
            writes.document_delete(request=request, document=document)
            messages.success(
                request, _("Le document « %(title)s » est retiré de la bibliothèque.") % {"title": document.title}
            )
            return redirect("resources:library")
        return _render_form(request, DocumentForm(document=document), document, delete_form)
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None, document=document)
    if posted:
        if form.is_valid():
            try:
                document = writes.document_update(request=request, document=document, **form.service_data())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Le document « %(title)s » est enregistré.") % {"title": document.title})
                return redirect("resources:library")
        form.file_to_choose_again()
    return _render_form(request, form, document)


@permission(policies.LIBRARY)
def document_download(request: PlatformRequest, document_id: int) -> HttpResponseBase:
    """A document's file, if the role may see it (else 404, whatever the method)."""
    document = reads.get_visible_document(request, document_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _file_response(document)


# ---- The hosting-prerequisites checklist


@permission(policies.PREREQUISITES_PDF)
@require_http_methods(["GET", "HEAD"])
def prerequisites_pdf(request: PlatformRequest) -> HttpResponse:
    """The platform's checklist of what a team prepares before a peer worker arrives, to print."""
    platform = request.platform
    items = reads.prerequisite_labels(platform) or [(str(label), True) for label in DEFAULT_PREREQUISITES]
    title = _("Accueillir un·e pair aidant·e : les prérequis")
    today = date_format(timezone.localdate(), "j F Y")
    content = render_pdf(
        "resources/pdf/prerequisites.html",
        {"title": title, "platform_name": platform.name, "items": items, "today": today},
        running=RunningText(top_left=platform.name, page_label=_("Page %(page)s sur %(pages)s")),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{PREREQUISITES_FILENAME}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- The public library


@permission(policies.PUBLIC)
@require_http_methods(["GET"])
def public_library(request: PlatformRequest, platform_slug: str) -> HttpResponse:
    """The platform's public documents, searched and filtered, for anyone."""
    platform = selectors.get_public_platform(platform_slug)
    # A visitor may be signed in to another platform: read in the chosen platform's scope.
    with platform_scope(platform.pk):
        context = {"platform": platform, **_search_context(request, reads.public_documents(platform))}
        return render(request, "resources/public_library.html", context)


@permission(policies.PUBLIC)
@require_http_methods(["GET", "HEAD"])
def public_download(request: PlatformRequest, document_token: str) -> HttpResponseBase:
    """A public document's file by its link (another visibility, or a link document: 404)."""
    with unscoped():  # the visitor may be signed in elsewhere: the link alone names the document
        document = reads.public_document_by_token(document_token)
    if document is None:
        raise Http404
    return _file_response(document)
