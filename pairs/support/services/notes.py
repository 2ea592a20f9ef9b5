"""Writes of notes (encrypted at rest) and mediation records.

The text of a note is encrypted before it reaches the database and never goes anywhere else: not
in the journal (field names only), not in a message, not in an e-mail.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.core.crypto import encrypt
from pairs.journal import services as journal
from pairs.peers.models import PeerProfile

from ..models import Confidentiality, ConsentKind, Mediation, Meeting, Note, Person
from .persons import require_consent

__all__ = ["MAX_NOTE", "mediation_add", "note_add"]

MAX_NOTE = 20000
MAX_TEXT = 5000


def _lock_open_person(person: Person) -> Person:
    """The person row, locked so that a closure cannot slip in between; refused when closed."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.is_closed:
        raise ValidationError(_("Cet accompagnement est clos : son dossier ne change plus."))
    return locked


def _check_peer(person: Person, peer: PeerProfile, field: str) -> None:
    if peer.platform_id != person.platform_id:
        raise ValidationError({field: [_("Choisissez un·e pair aidant·e de la plateforme.")]})


# ---- Notes


@transaction.atomic
def note_add(
    *,
    request: HttpRequest | None,
    person: Person,
    author: PeerProfile,
    body: str,
    confidentiality: str,
    meeting: Meeting | None = None,
) -> Note:
    """A peer worker's note on a person they follow, encrypted before it is saved."""
    locked = _lock_open_person(person)
    _check_peer(locked, author, "author")
    errors: dict[str, list[str]] = {}
    text = body.strip()
    if not text:
        errors["body"] = [_("Écrivez le texte de la note.")]
    elif len(text) > MAX_NOTE:
        errors["body"] = [_("La note est trop longue (%(max)s caractères au plus).") % {"max": MAX_NOTE}]
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = [_("Choisissez qui peut lire la note.")]
    if meeting is not None and meeting.person_id != locked.pk:
        errors["meeting"] = [_("Choisissez une rencontre avec cette personne.")]
    if errors:
        raise ValidationError(errors)
    note = Note.objects.create(
        person=locked,
        author=author,
        meeting=meeting,
        confidentiality=confidentiality,
        body_encrypted=encrypt(text),
    )
    fields = ["body", "confidentiality"] + (["meeting"] if meeting is not None else [])
    journal.log_create(request=request, obj=note, fields=fields)
    return note


# ---- Mediation


def _is_finalised_version_of(person: Person, version: models.Model) -> bool:
    """A frozen version of one of the person's crisis plans (reached through the mediation's
    reference: direct support never imports the plans app)."""
    model: Any = Mediation._meta.get_field("plan_version").related_model
    return bool(model._default_manager.filter(pk=version.pk, plan__person=person, number__isnull=False).exists())


@transaction.atomic
def mediation_add(
    *,
    request: HttpRequest | None,
    person: Person,
    peer: PeerProfile,
    held_on: date,
    professional: str,
    purpose: str,
    outcome: str = "",
    about_crisis_plan: bool = False,
    plan_version: Any = None,
) -> Mediation:
    """A mediation between the person and a professional of their care. It shares information about
    the person with that professional: their consent to such sharing is required. ``plan_version`` is
    the finalised version of the person's crisis plan presented, if any."""
    locked = _lock_open_person(person)
    require_consent(locked, ConsentKind.SHARE_PROFESSIONAL)
    _check_peer(locked, peer, "peer")
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("Une médiation se note une fois faite : la date ne peut pas être dans le futur.")]
    professional = professional.strip()
    if not professional:
        errors["professional"] = [_("Indiquez le nom et la fonction du ou de la professionnel·le.")]
    purpose, outcome = purpose.strip(), outcome.strip()
    if not purpose:
        errors["purpose"] = [_("Indiquez l'objet de la médiation.")]
    if len(purpose) > MAX_TEXT or len(outcome) > MAX_TEXT:
        errors.setdefault("purpose", []).append(
            _("Le texte est trop long (%(max)s caractères au plus).") % {"max": MAX_TEXT}
        )
    if plan_version is not None and not _is_finalised_version_of(locked, plan_version):
        errors["plan_version"] = [_("Choisissez une version finalisée du plan de crise de cette personne.")]
    if errors:
        raise ValidationError(errors)
    mediation = Mediation.objects.create(
        person=locked,
        peer=peer,
        held_on=held_on,
        professional=professional[:150],
        purpose=purpose,
        outcome=outcome,
        about_crisis_plan=about_crisis_plan or plan_version is not None,
        plan_version=plan_version,
    )
    fields = ["held_on", "peer", "professional", "purpose", "about_crisis_plan"] + (["outcome"] if outcome else [])
    fields += ["plan_version"] if plan_version is not None else []
    journal.log_create(request=request, obj=mediation, fields=fields)
    return mediation
