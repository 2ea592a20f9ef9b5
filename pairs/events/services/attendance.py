"""Writes of the attendance: the roll call ticked on a phone, the walk-ins added at the door, and the
validation (once): the trainers' hours go to their activity log, the people present receive their
certificate link, the feedback questionnaires go out.

E-mails hold a first name, the date, the event's title (not for a group open to the public) and
links: nothing else."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.peers.models import ActivityType
from pairs.peers.services.activity import activity_log
from pairs.peers.services.catalogues import DEFAULT_ACTIVITY_TYPES
from pairs.platforms.models import Platform

from ..models import ACTIVE_REGISTRATION, Event, Kind, Registration, RegistrationStatus
from ..selectors.attendance import event_day, roll_call_rows, trainers_of
from . import feedback

__all__ = [
    "ClosingResult",
    "activity_type_for",
    "attendance_close",
    "attendance_refusal",
    "attendance_save",
    "certificate_url",
    "walk_in_add",
]

# The activity type of the trainers' hours, by kind of event (codes of the default catalogue).
ACTIVITY_BY_KIND = {
    Kind.INFO_SESSION: "sensitisation",
    Kind.TRAINING: "training_given",
    Kind.SENSITISATION: "sensitisation",
    Kind.INTERVISION: "supervision",
    Kind.DU_TEACHING: "training_given",
    Kind.PUBLIC_GROUP: "group",
}
CERTIFICATE_KIND = "events_certificate"


def _lock(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("platform", "commune", "feedback_instrument", "beliefs_instrument", "beliefs_before")
        .get(pk=event.pk)
    )


def attendance_refusal(event: Event) -> str:
    """Why the attendance of this event cannot be taken now ("" when it can)."""
    if event.is_cancelled:
        return _("Cet événement est annulé : il n'y a pas d'appel à faire.")
    if event_day(event) > timezone.localdate():
        return _("L'appel s'ouvre le jour de l'événement.")
    return ""


def _check_open(event: Event) -> None:
    refusal = attendance_refusal(event)
    if refusal:
        raise ValidationError(refusal)
    if event.attendance_closed_at is not None:
        raise ValidationError(_("L'appel est validé : la liste ne peut plus être modifiée."))


def certificate_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "events:certificate", kwargs={"registration_token": registration.token}
    )


# ---- The roll call


@transaction.atomic
def attendance_save(*, request: HttpRequest | None, event: Event, present: Collection[Registration]) -> list[str]:
    """Tick the roll call: the people in ``present`` came, the others on the list did not. Returns
    the names whose mark changed (for the journal, only the field name is written)."""
    locked = _lock(event)
    _check_open(locked)
    rows = list(roll_call_rows(locked).select_for_update())
    wanted = {registration.pk for registration in present}
    if not wanted <= {row.pk for row in rows}:
        raise ValidationError({"present": [_("Cochez des personnes de la liste.")]})
    changed = []
    for row in rows:
        attended = row.pk in wanted
        if row.attended is not attended:
            row.attended = attended
            row.save(update_fields=["attended"])
            journal.log_update(request=request, obj=row, fields=["attended"], platform=locked.platform)
            changed.append(row.name)
    return changed


@transaction.atomic
def walk_in_add(
    *, request: HttpRequest | None, event: Event, name: str, email: str = "", organisation: str = ""
) -> Registration:
    """Someone who came without registering: added to the list, marked present."""
    locked = _lock(event)
    _check_open(locked)
    name, email, organisation = " ".join(name.split()), email.strip(), " ".join(organisation.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Indiquez le prénom et le nom de la personne.")]
    elif len(name) > 120:
        errors["name"] = [_("120 caractères au plus.")]
    if len(organisation) > 150:
        errors["organisation"] = [_("150 caractères au plus.")]
    same = (
        Registration.objects.select_for_update()
        .filter(event=locked, email__iexact=email, status__in=ACTIVE_REGISTRATION)
        .first()
        if email
        else None
    )
    if same is not None and same.status != RegistrationStatus.WAITING:
        errors["email"] = [_("Une personne est déjà inscrite avec cette adresse : cochez-la dans la liste.")]
    if errors:
        raise ValidationError(errors)
    if same is not None:  # on the waiting list, and came all the same: on the list, present
        same.status, same.attended = RegistrationStatus.CONFIRMED, True
        same.save(update_fields=["status", "attended"])
        journal.log_update(request=request, obj=same, fields=["status", "attended"], platform=locked.platform)
        return same
    registration = Registration.objects.create(
        platform=locked.platform,
        event=locked,
        name=name,
        email=email,
        organisation=organisation,
        status=RegistrationStatus.CONFIRMED,
        token=secrets.token_urlsafe(24),
        attended=True,
        walk_in=True,
    )
    fields = ["name", "status", "walk_in", "attended"] + (["email"] if email else [])
    fields += ["organisation"] if organisation else []
    journal.log_create(request=request, obj=registration, fields=fields, platform=locked.platform)
    return registration


# ---- Validation: hours, certificates, feedback


def activity_type_for(platform: Platform, code: str) -> ActivityType:
    """The platform's activity type of a code of the default catalogue (added, at the end of the
    catalogue, for platforms whose catalogue lacks it)."""
    found = ActivityType.objects.filter(platform=platform, code=code).first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):  # stored in the site's language, like the catalogue
        label, crisis = next((str(lbl), crisis) for key, lbl, crisis in DEFAULT_ACTIVITY_TYPES if key == code)
    last = ActivityType.objects.filter(platform=platform).order_by("-position").values_list("position", flat=True)
    found, _created = ActivityType.objects.get_or_create(
        platform=platform,
        code=code,
        defaults={"label": label, "crisis_related": crisis, "position": (last.first() or 0) + 1},
    )
    return found


@dataclass(frozen=True)
class ClosingResult:
    closed_now: bool  # False when the attendance was already validated: nothing was done again
    certificates: int = 0
    feedback: int = 0


def _log_hours(*, request: HttpRequest | None, event: Event) -> None:
    trainers = trainers_of(event)
    if not trainers:
        return
    activity_type = activity_type_for(event.platform, ACTIVITY_BY_KIND[Kind(event.kind)])
    remote = not event.place and bool(event.video_link)
    if not remote and event.commune is None:
        raise ValidationError(
            _(
                "Indiquez la commune de l'événement (ou, s'il a lieu à distance, son lien de visio) avant de valider "
                "l'appel : les heures d'animation sont notées avec elle."
            )
        )
    for trainer in trainers:
        try:
            activity_log(
                request=request,
                profile=trainer,
                day=event_day(event),
                duration_minutes=event.duration_minutes,
                activity_type=activity_type,
                commune=event.commune,
                remote=remote,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Les heures de %(name)s ne peuvent pas être notées dans son activité : %(reason)s")
                % {"name": trainer, "reason": " ".join(error.messages)}
            ) from error


def _send_certificates(event: Event, present: list[Registration]) -> int:
    when = date_format(timezone.localtime(event.starts_at), "l j F Y")
    title = "" if event.kind == Kind.PUBLIC_GROUP else event.title
    sent = []
    for registration in present:
        if not registration.email:
            continue
        email_queue(
            to=registration.email,
            kind=CERTIFICATE_KIND,
            template="events/emails/certificate.txt",
            context={
                "name": registration.name,
                "title": title,
                "when": when,
                "url": certificate_url(registration),
                "platform_name": event.platform.name,
            },
            platform=event.platform,
        )
        sent.append(registration.pk)
    if sent:
        Registration.objects.filter(pk__in=sent).update(certificate_sent_at=timezone.now())
    return len(sent)


@transaction.atomic
def attendance_close(
    *, request: HttpRequest | None, event: Event, present: Collection[Registration] | None = None
) -> ClosingResult:
    """Validate the attendance, once: one activity entry per trainer, the certificate links e-mailed
    to the people present, the feedback questionnaires opened and e-mailed to them. ``present``, when
    given, is the roll call ticked on the same page, saved first. A refused activity entry (over 24
    hours in the day, say) refuses the whole validation: nothing is saved."""
    locked = _lock(event)
    if locked.attendance_closed_at is not None:
        return ClosingResult(closed_now=False)
    _check_open(locked)
    if present is not None:
        attendance_save(request=request, event=locked, present=present)
    _log_hours(request=request, event=locked)
    present = [row for row in roll_call_rows(locked) if row.attended]
    certificates = _send_certificates(locked, present)
    fields = ["attendance_closed_at"]
    fields += feedback.feedback_open(request=request, event=locked)
    sent = feedback.feedback_send(event=locked, registrations=present)
    locked.attendance_closed_at = timezone.now()
    locked.save(update_fields=fields)
    journal.log_update(request=request, obj=locked, fields=fields, platform=locked.platform)
    event.attendance_closed_at = locked.attendance_closed_at
    event.feedback_campaign, event.beliefs_after = locked.feedback_campaign, locked.beliefs_after
    return ClosingResult(closed_now=True, certificates=certificates, feedback=sent)
