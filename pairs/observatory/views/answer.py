"""The anonymous questionnaire behind a campaign's link: no account, no IP address kept, an answer
sent twice from the same page counted once, a polite page once the campaign is closed."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies


@permission(policies.ANSWER)
def answer(request: PlatformRequest, answer_token: str) -> HttpResponse:
    raise Http404


@permission(policies.ANSWER)
def answer_done(request: PlatformRequest, answer_token: str) -> HttpResponse:
    raise Http404
