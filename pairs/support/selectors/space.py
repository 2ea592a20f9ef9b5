"""Reads of the person's own space: their next meetings, the notes shared with them, their consents,
groups and requests, and the download of everything the platform holds about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.platforms.http import PlatformRequest

from ..models import (
    ChangeRequest,
    Consent,
    GroupRegistration,
    Meeting,
    MeetingStatus,
    Note,
    Person,
    Topic,
)
from . import _int, own_person
from .groups import person_registrations, with_waiting_position
from .notes import first_name, note_text, readable_notes

NEXT_MEETINGS = 10


def next_meetings(person: Person) -> list[Meeting]:
    return list(
        Meeting.objects.filter(person=person, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .select_related("place__commune", "peer__membership__user")
        .order_by("starts_at", "pk")[:NEXT_MEETINGS]
    )


@dataclass(frozen=True)
class SharedNote:
    note: Note
    author: str
    text: str | None


def shared_notes(request: PlatformRequest, person: Person) -> list[SharedNote]:
    """The notes shared with the person, decrypted (the caller journals each one shown)."""
    return [SharedNote(note=n, author=first_name(n.author), text=note_text(n)) for n in readable_notes(request, person)]


def own_consents(person: Person) -> QuerySet[Consent]:
    return person.consents.order_by("withdrawn_at", "-given_at", "-pk")


def get_own_consent(request: PlatformRequest, consent_id: Any) -> Consent:
    """One of the signed-in person's consents, or 404 (anybody else's)."""
    person = own_person(request)
    if person is None:
        return get_object_or_404(Consent.objects.none())
    return get_object_or_404(Consent.objects.filter(person=person).select_related("person"), pk=_int(consent_id))


def pending_change_request(person: Person) -> ChangeRequest | None:
    return person.change_requests.filter(handled_at__isnull=True).order_by("-created_at", "-pk").first()


def groups_of(person: Person) -> list[GroupRegistration]:
    return person_registrations(person)


# ---- "Télécharger mes données"


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _topic(value: str) -> str:
    return str(Topic(value).label) if value in Topic.values else value


def my_data(request: PlatformRequest, person: Person) -> tuple[dict[str, Any], list[Note]]:
    """Everything the platform holds about the person that they may read, and nothing about anyone
    else (no relative's or other person's name, no note not shared with them). Returns the data and
    the notes it contains (the caller journals their reading)."""
    record = {
        "prenom_ou_pseudonyme": person.pseudonym,
        "situation": person.get_relation_display(),
        "commune": person.commune.name if person.commune is not None else None,
        "telephone": person.phone,
        "email": person.email,
        "quand_me_joindre": person.contact_times,
        "langue": person.language,
        "preference_pair_aidant": person.get_gender_preference_display() if person.gender_preference else "",
        "preference_lieu": person.get_place_preference_display() if person.place_preference else "",
        "preference_rencontre": person.get_mode_preference_display() if person.mode_preference else "",
        "pair_aidant_referent": first_name(person.peer) if person.peer is not None else None,
        "etat": person.get_status_display(),
        "ouvert_le": _when(person.opened_on),
        "clos_le": _when(person.closed_on),
        "motif_de_cloture": person.get_closure_reason_display() if person.closure_reason else "",
        "avis_l_accompagnement_m_a_aide": person.feedback_helpful,
        "avis_commentaire": person.feedback_comment,
    }
    consents = [
        {
            "consentement": c.get_kind_display(),
            "professionnel": c.professional,
            "donne_le": _when(c.given_at),
            "comment": c.get_method_display(),
            "retire_le": _when(c.withdrawn_at),
        }
        for c in person.consents.order_by("given_at", "pk")
    ]
    meetings = [
        {
            "debut": _when(m.starts_at),
            "duree_minutes": m.duration_minutes,
            "forme": m.get_mode_display(),
            "lieu": f"{m.place.name}, {m.place.address}" if m.place is not None else None,
            "pair_aidant": first_name(m.peer),
            "etat": m.get_status_display(),
        }
        for m in Meeting.objects.filter(person=person)
        .select_related("place", "peer__membership__user")
        .order_by("starts_at", "pk")
    ]
    notes = list(readable_notes(request, person).order_by("created_at", "pk"))
    shared = [{"date": _when(n.created_at), "pair_aidant": first_name(n.author), "texte": note_text(n)} for n in notes]
    registrations = [
        {
            "groupe": r.group.theme,
            "etat": r.get_status_display(),
            "position_liste_attente": getattr(r, "position", 0) or None,
            "depuis_le": _when(r.created_at),
        }
        for r in with_waiting_position(person.group_registrations.all())
        .select_related("group")
        .order_by("created_at", "pk")
    ]
    requests = [
        {
            "recue_le": _when(r.created_at),
            "prenom_ou_pseudonyme": r.pseudonym,
            "telephone": r.phone,
            "email": r.email,
            "quand_me_joindre": r.contact_times,
            "vous_etes": r.get_relation_display(),
            "commune": r.commune.name if r.commune is not None else r.commune_name,
            "ce_que_je_cherche": r.looking_for,
            "themes": [_topic(t) for t in r.topics],
            "etat": r.get_status_display(),
        }
        for r in person.requests.select_related("commune").order_by("created_at", "pk")
    ]
    changes = [
        {"demandee_le": _when(c.created_at), "message": c.message, "traitee_le": _when(c.handled_at)}
        for c in person.change_requests.order_by("created_at", "pk")
    ]
    mediations = [
        {
            "date": _when(m.held_on),
            "professionnel": m.professional,
            "objet": m.purpose,
            "ce_qui_en_est_sorti": m.outcome,
            "autour_du_plan_de_crise": m.about_crisis_plan,
            "pair_aidant": first_name(m.peer),
        }
        for m in person.mediations.select_related("peer__membership__user").order_by("held_on", "pk")
    ]
    data = {
        "plateforme": request.platform.name,
        "exporte_le": _when(timezone.now()),
        "dossier": record,
        "consentements": consents,
        "rencontres": meetings,
        "notes_partagees_avec_moi": shared,
        "groupes": registrations,
        "demandes_d_accompagnement": requests,
        "demandes_de_changement_de_pair_aidant": changes,
        "mediations": mediations,
    }
    return data, notes
