"""Attendance taken on a phone by the trainer (tick the list, add walk-ins, validate: hours to the
trainers' activity log, certificates and feedback questionnaires sent); the attendance certificate
behind the registrant's link."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies, selectors


@permission(policies.ATTENDANCE)
def attendance(request: PlatformRequest, event_id: int) -> HttpResponse:
    selectors.get_event_for(request, event_id)
    raise Http404


@permission(policies.PUBLIC_AGENDA)
def certificate(request: PlatformRequest, registration_token: str) -> HttpResponse:
    raise Http404
