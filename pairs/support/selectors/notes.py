"""Reads of notes and mediation records.

Who reads which note is decided in one place, :func:`readable_notes`:

- a private note ("moi seul·e"): its author only;
- a note shared with the team: coordinators, and peer workers who can see the person;
- a note shared with the person: the same, and the person themself (in their space).

An author always reads their own notes. Every other rule (the note page, the person's space, the
data download) goes through this function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from pairs.core.crypto import UnreadableText, decrypt
from pairs.peers.models import PeerProfile
from pairs.peers.selectors.career import active_condition
from pairs.platforms.http import PlatformRequest

from ..models import Confidentiality, ConsentKind, Mediation, Meeting, Note, Person
from . import _int, is_coordinator, own_peer_profile, own_person, visible_people
from .persons import active_consent_kinds

SHARED = (Confidentiality.TEAM, Confidentiality.PERSON)


def readable_notes(request: PlatformRequest, person: Person | None = None) -> QuerySet[Note]:
    """The notes the signed-in user may read (of one person, or of the whole platform)."""
    notes = Note.objects.filter(person__platform=request.platform)
    if person is not None:
        notes = notes.filter(person=person)
    if is_coordinator(request):
        notes = notes.filter(confidentiality__in=SHARED)
    elif (peer := own_peer_profile(request)) is not None:
        followed = visible_people(request).values("pk")
        notes = notes.filter(Q(author=peer) | Q(confidentiality__in=SHARED, person__in=followed))
    elif (own := own_person(request)) is not None:
        notes = notes.filter(person=own, confidentiality=Confidentiality.PERSON)
    else:
        notes = notes.none()
    return notes.select_related("author__membership__user", "meeting")


def get_note_for(request: PlatformRequest, note_id: Any) -> Note:
    """One note this user may read, or 404 (another platform, or a level that is not theirs)."""
    return get_object_or_404(readable_notes(request).select_related("person"), pk=_int(note_id))


def note_text(note: Note) -> str | None:
    """The decrypted text, or None when the configured keys cannot read it."""
    try:
        return decrypt(note.body_encrypted)
    except UnreadableText:
        return None


def author_name(peer: PeerProfile) -> str:
    return peer.membership.user.display_name


def first_name(peer: PeerProfile) -> str:
    return peer.membership.user.first_name


# ---- The person page


@dataclass(frozen=True)
class NoteRow:
    note: Note
    author: str
    mine: bool


def note_rows(request: PlatformRequest, person: Person) -> list[NoteRow]:
    """The notes listed on the person page: date, author and level only (the text is on the note page)."""
    peer = own_peer_profile(request)
    return [
        NoteRow(note=n, author=author_name(n.author), mine=peer is not None and n.author_id == peer.pk)
        for n in readable_notes(request, person)
    ]


def mediations_of(person: Person) -> QuerySet[Mediation]:
    return person.mediations.select_related("peer__membership__user", "plan_version")


def can_write_notes(request: PlatformRequest, person: Person) -> bool:
    """Only peer workers write notes (coordinators read them), and not on a closed record."""
    return not person.is_closed and own_peer_profile(request) is not None


# ---- Forms


def note_meetings(person: Person) -> QuerySet[Meeting]:
    """The meetings a note may be attached to: the person's own."""
    return Meeting.objects.filter(person=person).order_by("-starts_at", "-id")


def has_share_consent(person: Person) -> bool:
    """Whether the person has an active consent to share information with a named professional."""
    return ConsentKind.SHARE_PROFESSIONAL in active_consent_kinds(person)


def mediation_peers(request: PlatformRequest, person: Person, day: date) -> QuerySet[PeerProfile]:
    """The peer workers a coordinator may name for a mediation: those in activity, and the referent."""
    condition = active_condition(day)
    if person.peer_id is not None:
        condition |= Q(pk=person.peer_id)
    return (
        PeerProfile.objects.filter(condition, platform=request.platform)
        .select_related("membership__user")
        .order_by("membership__user__first_name", "membership__user__last_name", "pk")
    )


def meeting_among(meetings: QuerySet[Meeting], wanted: str) -> int | None:
    """The id of the meeting named in the address (``?rencontre=``) if it is one of ``meetings``."""
    if not wanted.isdigit() or not meetings.filter(pk=int(wanted)).exists():
        return None
    return int(wanted)
