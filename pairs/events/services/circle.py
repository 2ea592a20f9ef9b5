"""Writes of the intervision circle: joining from the public page (with consent), leaving through the
personal link (or removed by the coordination), and the invitations to an intervision.

The circle keeps who its members are and whether they came to an intervision; never what was said."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.core.text import french_phone
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.platforms.models import Platform

from ..models import CircleMember, CircleStatus, Event, EventStatus, Kind
from ..selectors import circle as reads

__all__ = ["circle_invite", "circle_join", "circle_leave", "leave_url"]

MEMBER_FIELDS = ("first_name", "last_name", "email", "phone", "status", "employer", "consent_at")
ALREADY_MEMBER = gettext_lazy("Cette adresse fait déjà partie du cercle.")
CONSENT_REQUIRED = gettext_lazy(
    "Pour rejoindre le cercle, cochez la case : sans votre accord, la plateforme ne garde pas vos coordonnées."
)
PHONE_INVALID = gettext_lazy(
    "Ce numéro ne semble pas valable. Écrivez un numéro français à 10 chiffres, par exemple 06 12 34 56 78."
)
TIME_FORMAT = "G \\h i"  # "14 h 30"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def leave_url(member: CircleMember) -> str:
    """The member's personal link to leave the circle (absolute, for e-mails)."""
    return _absolute(reverse("events:circle_leave", kwargs={"member_token": member.token}))


# ---- Joining


def _clean_join(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    status: str,
    employer: str,
    consent: bool,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    values = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip().lower(),
        "phone": phone.strip(),
        "status": status,
        "employer": employer.strip(),
    }
    errors: dict[str, list[str]] = {}
    if not values["first_name"]:
        errors["first_name"] = [_("Indiquez votre prénom.")]
    if not values["last_name"]:
        errors["last_name"] = [_("Indiquez votre nom.")]
    try:
        validate_email(values["email"])
    except ValidationError:
        errors["email"] = [_("Indiquez une adresse e-mail valable, par exemple prenom.nom@exemple.fr.")]
    if values["phone"]:
        normalised = french_phone(values["phone"])
        if normalised is None:
            errors["phone"] = [str(PHONE_INVALID)]
        else:
            values["phone"] = normalised
    if status not in CircleStatus.values:
        errors["status"] = [_("Choisissez votre situation dans la liste.")]
    if not consent:
        errors["consent"] = [str(CONSENT_REQUIRED)]
    return values, errors


@transaction.atomic
def circle_join(
    *,
    request: HttpRequest | None,
    platform: Platform,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    status: str,
    employer: str = "",
    consent: bool,
) -> CircleMember:
    """A peer worker of the territory joins the circle with their consent, and receives a welcome e-mail
    with their personal link to leave it. An address already in the circle is refused (and nothing more
    is said about that member)."""
    values, errors = _clean_join(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        status=status,
        employer=employer,
        consent=consent,
    )
    if "email" not in errors and reads.active_members_of(platform).filter(email__iexact=values["email"]).exists():
        errors["email"] = [str(ALREADY_MEMBER)]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            member = CircleMember.objects.create(
                platform=platform, consent_at=timezone.now(), active=True, token=new_token(), **values
            )
    except IntegrityError as error:  # the same address sent twice at once
        raise ValidationError({"email": [str(ALREADY_MEMBER)]}) from error
    journal.log_create(request=request, obj=member, fields=MEMBER_FIELDS, platform=platform)
    email_queue(
        to=member.email,
        kind="circle_welcome",
        template="events/emails/circle_welcome.txt",
        context={"name": member.first_name, "platform_name": platform.name, "leave_link": leave_url(member)},
        platform=platform,
    )
    return member


# ---- Leaving


@transaction.atomic
def circle_leave(*, request: HttpRequest | None, member: CircleMember) -> CircleMember:
    """The member leaves the circle (their link, or the coordination removes them). Twice is harmless."""
    locked = CircleMember.objects.select_for_update().get(pk=member.pk)
    if not locked.active:
        return locked
    locked.active = False
    locked.left_at = timezone.now()
    locked.save(update_fields=["active", "left_at"])
    journal.log_update(request=request, obj=locked, fields=["active", "left_at"], platform=locked.platform)
    return locked


# ---- Invitations


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    return _("%(day)s, de %(start)s à %(end)s") % {
        "day": date_format(start, "l j F Y"),
        "start": date_format(start, TIME_FORMAT),
        "end": date_format(end, TIME_FORMAT),
    }


@transaction.atomic
def circle_invite(*, request: HttpRequest | None, event: Event) -> int:
    """E-mail every active member of the circle an invitation to an intervision still to come: their first
    name, the date, the place or the video link, the event's page and their link to leave the circle.
    Returns how many invitations were queued."""
    if event.kind != Kind.INTERVISION:
        raise ValidationError(_("Seules les intervisions sont proposées au cercle."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("Cette intervision est annulée : le cercle n'est pas invité."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Cette intervision a déjà commencé ou est passée : le cercle n'est pas invité."))
    context = {
        "title": event.title,
        "when": _when(event),
        "place": event.place,
        "commune": event.commune.name if event.commune_id and event.commune else "",
        "video_link": event.video_link,
        "event_link": _absolute(reverse("events:event_page", kwargs={"event_token": event.token})),
        "platform_name": event.platform.name,
    }
    count = 0
    for member in reads.active_members_of(event.platform):
        email_queue(
            to=member.email,
            kind="circle_invitation",
            template="events/emails/circle_invitation.txt",
            context={**context, "name": member.first_name, "leave_link": leave_url(member)},
            platform=event.platform,
        )
        count += 1
    return count
