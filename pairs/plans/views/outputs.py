"""The printable PDF of a version and the wallet card of a share."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.core.pdf import RunningText, render_pdf
from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors
from ..sections import NOT_BINDING
from ..selectors import outputs as reads


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _not_binding_short() -> str:
    return _("Document sans valeur juridique contraignante — voir la personne de confiance (art. L1111-6 CSP)")


@permission(policies.PLAN)
def version_pdf(request: PlatformRequest, plan_id: int, version_id: int) -> HttpResponse:
    """A finalised version as an accessible PDF: every filled section, the signatures, and on every
    page the version, its date, the non-binding notice and the page number."""
    version = reads.get_finalised_version_for(request, plan_id, version_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    doc = reads.printed_version(version)
    when = date_format(timezone.localtime(doc.finalised_at), "j F Y") if doc.finalised_at else ""
    version_label = _("Version %(number)s du %(date)s") % {"number": doc.number, "date": when}
    running = RunningText(
        top_left=version_label,
        bottom=_not_binding_short(),
        page_label=_("Page %(page)s sur %(pages)s"),
    )
    content = render_pdf(
        "plans/pdf/version.html",
        {"doc": doc, "version_label": version_label, "not_binding": str(NOT_BINDING)},
        running=running,
    )
    if not selectors.is_owner(request, version.plan):
        journal.log_view(request=request, obj=version)
    return _pdf_response(content, f"plan-de-crise-version-{doc.number}.pdf")


@permission(policies.PLAN_WRITE)
def share_card(request: PlatformRequest, share_id: int) -> HttpResponse:
    """A credit-card-size PDF to keep in a wallet: the trusted person's contact and a QR code to the
    share's link. No health information."""
    share = reads.get_active_share_for(request, share_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    link = settings.SITE_URL.rstrip("/") + reverse("plans:share_open", kwargs={"share_token": share.token})
    qr_code = segno.make(link, error="m").png_data_uri(scale=10, border=2)
    content = render_pdf(
        "plans/pdf/card.html",
        {"contact": reads.card_contact(share), "qr_code": qr_code, "expires_at": share.expires_at},
    )
    if not selectors.is_owner(request, share.plan):
        journal.log_view(request=request, obj=share.version)
    return _pdf_response(content, "carte-en-cas-de-crise.pdf")
