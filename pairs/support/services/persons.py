"""Writes of person records: editing, consents and their withdrawal, the consent check other
actions rely on, the referent peer worker (and its changes, recorded without blame), closure,
and the invitation to the person's own space (magic link). A closed record is read-only."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.accounts.models import User, normalize_email
from pairs.accounts.services import has_staff_role, magic_link_url
from pairs.journal import services as journal
from pairs.journal.models import Action
from pairs.notifications.services import email_queue
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Membership
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

from ..models import (
    ChangeRequest,
    ClosureReason,
    Consent,
    ConsentKind,
    ConsentMethod,
    Meeting,
    MeetingStatus,
    PeerChange,
    Person,
    PersonStatus,
    Relation,
    invalid_preferences,
)


def closed_message() -> str:
    return _("Cet accompagnement est clos : son dossier ne peut plus être modifié.")


def _refuse_if_closed(person: Person) -> None:
    if person.status == PersonStatus.CLOSED:
        raise ValidationError({NON_FIELD_ERRORS: [closed_message()]})


def _lock(person: Person) -> Person:
    return Person.objects.select_for_update(of=("self",)).select_related("platform").get(pk=person.pk)


# ---- Consents


def _plain(value: str) -> str:
    """A name compared without accents, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def professional_matches(given: str, wanted: str) -> bool:
    """Whether the professional named in a consent is the one named for an action: the same
    words (accents, case and punctuation ignored), or one name contained in the other
    ("Dr Martin" and "Dr Martin, psychiatre du CMP")."""
    a, b = _plain(given), _plain(wanted)
    if not a or not b:
        return False
    return a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def has_consent(person: Person, kind: str, *, professional: str = "") -> bool:
    consents = Consent.objects.filter(person=person, kind=kind, withdrawn_at__isnull=True)
    if not professional:
        return consents.exists()
    return any(professional_matches(name, professional) for name in consents.values_list("professional", flat=True))


def require_consent(person: Person, kind: str, *, professional: str = "", field: str = NON_FIELD_ERRORS) -> None:
    """Refuse an action that needs a consent the person has not given (or has withdrawn). For a
    sharing with a professional, ``professional`` names who: the consent must name them."""
    if has_consent(person, kind, professional=professional):
        return
    label = ConsentKind(kind).label
    if professional:
        message = _("Sans le consentement « %(kind)s » pour %(professional)s, cette action n'est pas possible.") % {
            "kind": label,
            "professional": professional,
        }
    else:
        message = _("Sans le consentement « %(kind)s », cette action n'est pas possible.") % {"kind": label}
    raise ValidationError({field: [message]})


@transaction.atomic
def consent_add(
    *,
    request: HttpRequest | None,
    person: Person,
    kind: str,
    method: str,
    given_at: datetime,
    by: User,
    professional: str = "",
) -> Consent:
    """Note what the person agreed to, when and how."""
    locked = _lock(person)
    _refuse_if_closed(locked)
    professional = " ".join(professional.split())
    errors: dict[str, list[str]] = {}
    if kind not in ConsentKind.values:
        errors["kind"] = [_("Choisissez un consentement de la liste.")]
    if method not in ConsentMethod.values:
        errors["method"] = [_("Choisissez comment le consentement a été donné.")]
    if kind == ConsentKind.SHARE_PROFESSIONAL and not professional:
        errors["professional"] = [_("Pour un partage, indiquez le nom et la fonction du ou de la professionnel·le.")]
    if given_at > timezone.now():
        errors["given_at"] = [_("La date du consentement ne peut pas être dans le futur.")]
    if errors:
        raise ValidationError(errors)
    active = Consent.objects.filter(person=locked, kind=kind, withdrawn_at__isnull=True)
    if kind == ConsentKind.SHARE_PROFESSIONAL:
        duplicate = any(_plain(name) == _plain(professional) for name in active.values_list("professional", flat=True))
    else:
        duplicate = active.exists()
        professional = ""
    if duplicate:
        raise ValidationError({"kind": [_("Ce consentement est déjà noté et en vigueur.")]})
    consent = Consent.objects.create(
        person=locked, kind=kind, professional=professional, given_at=given_at, method=method, recorded_by=by
    )
    fields = ["kind", "method", "given_at"] + (["professional"] if professional else [])
    journal.log_create(request=request, obj=consent, fields=fields, platform=locked.platform)
    return consent


@transaction.atomic
def consent_withdraw(*, request: HttpRequest | None, consent: Consent, by: User) -> Consent:
    """The person withdraws a consent: from now on, what it allowed stops. The row stays as history.
    Possible on a closed record too: withdrawing a consent is always the person's right."""
    locked = Consent.objects.select_for_update(of=("self",)).select_related("person__platform").get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Ce consentement est déjà retiré.")]})
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = by
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    journal.log_update(request=request, obj=locked, fields=["withdrawn_at"], platform=locked.person.platform)
    return locked


# ---- Editing the record

EDITABLE_FIELDS = (
    "pseudonym",
    "relation",
    "relative_of",
    "commune",
    "phone",
    "email",
    "contact_times",
    "language",
    "gender_preference",
    "place_preference",
    "mode_preference",
)


@transaction.atomic
def person_update(
    *,
    request: HttpRequest | None,
    person: Person,
    pseudonym: str,
    relation: str,
    relative_of: Person | None,
    commune: Commune | None,
    phone: str,
    email: str,
    contact_times: str,
    language: str,
    gender_preference: str,
    place_preference: str,
    mode_preference: str,
) -> list[str]:
    """Change the record; returns the names of the fields changed (journaled, never the values)."""
    locked = _lock(person)
    _refuse_if_closed(locked)
    pseudonym = pseudonym.strip()
    email = normalize_email(email) if email else ""
    errors: dict[str, list[str]] = {}
    if not pseudonym:
        errors["pseudonym"] = [_("Indiquez un prénom ou un pseudonyme.")]
    if relation not in Relation.values:
        errors["relation"] = [_("Choisissez une situation de la liste.")]
    if relative_of is not None:
        if relation != Relation.RELATIVE:
            errors.setdefault("relative_of", []).append(
                _("Seul le dossier d'un·e proche peut être relié à celui d'une personne.")
            )
        elif relative_of.pk == locked.pk:
            errors.setdefault("relative_of", []).append(_("Un dossier ne peut pas être relié à lui-même."))
        elif relative_of.platform_id != locked.platform_id:
            errors.setdefault("relative_of", []).append(_("Choisissez une personne de la plateforme."))
        elif relative_of.relative_of_id == locked.pk:
            errors.setdefault("relative_of", []).append(
                _("Cette personne est déjà reliée à ce dossier comme proche : choisissez l'autre sens.")
            )
    preferences = {
        "gender_preference": gender_preference,
        "place_preference": place_preference,
        "mode_preference": mode_preference,
    }
    for name in invalid_preferences(preferences):
        errors[name] = [_("Choisissez une réponse de la liste.")]
    if errors:
        raise ValidationError(errors)
    after = {
        "pseudonym": pseudonym,
        "relation": relation,
        "relative_of": relative_of.pk if relative_of is not None else None,
        "commune": commune.pk if commune is not None else None,
        "phone": phone.strip(),
        "email": email,
        "contact_times": contact_times.strip(),
        "language": language.strip(),
        "gender_preference": gender_preference,
        "place_preference": place_preference,
        "mode_preference": mode_preference,
    }
    before = {
        "pseudonym": locked.pseudonym,
        "relation": locked.relation,
        "relative_of": locked.relative_of_id,
        "commune": locked.commune_id,
        "phone": locked.phone,
        "email": locked.email,
        "contact_times": locked.contact_times,
        "language": locked.language,
        "gender_preference": locked.gender_preference,
        "place_preference": locked.place_preference,
        "mode_preference": locked.mode_preference,
    }
    changed = journal.changed_fields(before, after)
    if not changed:
        return []
    for name in changed:
        attribute = f"{name}_id" if name in {"relative_of", "commune"} else name
        setattr(locked, attribute, after[name])
    locked.save(update_fields=[*changed, "updated_at"])
    journal.log_update(request=request, obj=locked, fields=changed, platform=locked.platform)
    return changed


# ---- The referent peer worker


@transaction.atomic
def person_peer_set(
    *,
    request: HttpRequest | None,
    person: Person,
    peer: PeerProfile,
    by: User,
    asked_by_person: bool = False,
    reason: str = "",
) -> PeerChange:
    """Choose the referent peer worker (the first one, or a change). Recorded without blame: who
    asked (the person or the coordination), never who failed. Pending requests to change are
    handled by it, and the new referent is told by e-mail (no personal content)."""
    locked = _lock(person)
    _refuse_if_closed(locked)
    today = timezone.localdate()
    if peer.platform_id != locked.platform_id:
        raise ValidationError({"peer": [_("Ce ou cette pair aidant·e n'existe pas sur la plateforme.")]})
    if not (peer.membership.is_active and peer.membership.user.is_active):
        raise ValidationError({"peer": [_("Le compte de ce ou cette pair aidant·e est désactivé.")]})
    if not peer.is_active_on(today):
        raise ValidationError({"peer": [_("Ce ou cette pair aidant·e n'est pas en activité sur la plateforme.")]})
    if locked.peer_id == peer.pk:
        raise ValidationError({"peer": [_("Ce ou cette pair aidant·e est déjà référent·e de cette personne.")]})
    change = PeerChange.objects.create(
        person=locked,
        from_peer_id=locked.peer_id,
        to_peer=peer,
        asked_by_person=asked_by_person,
        reason=reason.strip(),
        by=by,
    )
    locked.peer = peer
    locked.save(update_fields=["peer", "updated_at"])
    ChangeRequest.objects.filter(person=locked, handled_at__isnull=True).update(handled_at=timezone.now())
    journal.log_update(request=request, obj=locked, fields=["peer"], platform=locked.platform)
    _notify_new_referent(locked, peer)
    return change


def _notify_new_referent(person: Person, peer: PeerProfile) -> None:
    """Tell the new referent a person is entrusted to them: a link, nothing about the person."""
    user = peer.membership.user
    if not user.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("support:person", kwargs={"person_id": person.pk})
    email_queue(
        to=user.email,
        kind="support_referent",
        template="support/emails/referent_assigned.txt",
        context={"name": user.first_name, "link": link},
        platform=person.platform,
    )


# ---- Closure


@transaction.atomic
def person_close(
    *,
    request: HttpRequest | None,
    person: Person,
    reason: str,
    comment: str = "",
    feedback_helpful: int | None = None,
    feedback_comment: str = "",
) -> Person:
    """Close the support: the record becomes read-only and the planned meetings to come are cancelled."""
    locked = _lock(person)
    if locked.status == PersonStatus.CLOSED:
        raise ValidationError({NON_FIELD_ERRORS: [_("Cet accompagnement est déjà clos.")]})
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choisissez le motif de clôture.")]
    if feedback_helpful is not None and not 1 <= feedback_helpful <= 5:
        errors["feedback_helpful"] = [_("Choisissez une réponse entre 1 et 5.")]
    if errors:
        raise ValidationError(errors)
    upcoming = list(
        Meeting.objects.select_for_update().filter(
            person=locked, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
        )
    )
    for meeting in upcoming:
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
        journal.log_update(request=request, obj=meeting, fields=["status"], platform=locked.platform)
    locked.status = PersonStatus.CLOSED
    locked.closed_on = timezone.localdate()
    locked.closure_reason = reason
    locked.closure_comment = comment.strip()
    locked.feedback_helpful = feedback_helpful
    locked.feedback_comment = feedback_comment.strip()
    fields = ["status", "closed_on", "closure_reason"]
    fields += [name for name in ("closure_comment", "feedback_comment") if getattr(locked, name)]
    if feedback_helpful is not None:
        fields.append("feedback_helpful")
    locked.save(update_fields=[*fields, "updated_at"])
    journal.log_update(request=request, obj=locked, fields=fields, platform=locked.platform)
    return locked


# ---- The person's own space


@transaction.atomic
def person_invite(*, request: HttpRequest | None, person: Person) -> Membership:
    """Open the person's space: an account with their e-mail, a "person" role on the platform linked
    to the record, and an e-mail with a sign-in link (the accounts' magic link). Needs an e-mail on
    the record and the consent to be contacted by e-mail."""
    locked = _lock(person)
    _refuse_if_closed(locked)
    platform = locked.platform
    if not locked.email:
        raise ValidationError({NON_FIELD_ERRORS: [_("Notez d'abord une adresse e-mail dans le dossier.")]})
    require_consent(locked, ConsentKind.CONTACT_EMAIL)
    email = normalize_email(locked.email)
    user = User.objects.filter(email=email).first()
    if user is not None and has_staff_role(user):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Cette adresse e-mail est celle d'un compte de l'équipe : l'espace personnel a besoin "
                        "d'une autre adresse."
                    )
                ]
            }
        )
    if user is not None and not user.is_active:
        raise ValidationError({NON_FIELD_ERRORS: [_("Le compte lié à cette adresse e-mail est désactivé.")]})
    if user is None:
        user = User.objects.create_user(email=email, first_name=locked.pseudonym)
        journal.log_create(request=request, obj=user, fields=["email", "first_name"], platform=platform)
    membership = Membership.objects.filter(user=user, platform=platform, role=Role.PERSON).first()
    if membership is not None:
        other = Person.objects.filter(membership=membership).exclude(pk=locked.pk).first()
        if other is not None:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Cette adresse e-mail ouvre déjà l'espace d'un autre dossier.")]}
            )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
            journal.log_update(request=request, obj=membership, fields=["is_active"], platform=platform)
    else:
        membership = Membership.objects.create(user=user, platform=platform, role=Role.PERSON)
        journal.log_create(request=request, obj=membership, fields=["user", "role"], platform=platform)
    if locked.membership_id != membership.pk:
        locked.membership = membership
        locked.save(update_fields=["membership", "updated_at"])
        journal.log_update(request=request, obj=locked, fields=["membership"], platform=platform)
    email_queue(
        to=user.email,
        kind="support_space_invite",
        template="support/emails/space_invite.txt",
        context={
            "name": user.first_name,
            "link": magic_link_url(user),
            "minutes": settings.SESAME_MAX_AGE // 60,
            "request_link": settings.SITE_URL.rstrip("/") + reverse("accounts:magic_link_request"),
        },
        platform=platform,
    )
    journal.log_account_event(action=Action.MAGIC_LINK_SENT, user=user, request=request)
    return membership
