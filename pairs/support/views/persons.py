"""Person records: list, page, edit, consents, the referent peer worker (suggestions), closure, the person's space."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.PERSON_VIEW)
def person_list(request: PlatformRequest) -> HttpResponse:
    raise Http404


@permission(policies.PERSON_VIEW)
def person_detail(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PERSON_EDIT)
def person_edit(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.MATCH)
def person_match(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PERSON_EDIT)
def consent_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PERSON_EDIT)
def consent_withdraw(request: PlatformRequest, consent_id: int) -> HttpResponse:
    raise Http404


@permission(policies.CLOSE)
def person_close(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.PERSON_EDIT)
def person_invite(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404
