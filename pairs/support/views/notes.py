"""Notes with confidentiality levels (encrypted, every read journaled) and mediation records."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..models import Person


def person_context(request: PlatformRequest, person: Person) -> dict[str, Any]:
    """What this part adds to the person page (templates/support/_notes.html)."""
    return {}


@permission(policies.NOTES)
def note_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404


@permission(policies.NOTES)
def note_detail(request: PlatformRequest, note_id: int) -> HttpResponse:
    raise Http404


@permission(policies.NOTES)
def mediation_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    raise Http404
