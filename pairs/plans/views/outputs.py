"""The printable PDF of a version and the wallet card of a share."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.PLAN)
def version_pdf(request: PlatformRequest, plan_id: int, version_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PLAN_WRITE)
def share_card(request: PlatformRequest, share_id: int) -> HttpResponse:
    raise Http404
