"""Writes of support groups: the group itself, its public registration link, registrations with a
capacity and a waiting list, sessions and attendance.

Every change of registrations locks the group row first, so that two registrations at once never
take the same last place, and a place set free goes to the first person waiting.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform

from ..models import (
    Group,
    GroupRegistration,
    GroupSession,
    MeetingMode,
    Person,
    Place,
    RegistrationStatus,
)

__all__ = [
    "group_create",
    "group_token_rotate",
    "group_update",
    "registration_add",
    "registration_cancel",
    "session_add",
    "session_attendance_save",
]

GROUP_FIELDS = ("theme", "description", "mode", "place", "schedule", "capacity", "active")
MAX_DESCRIPTION = 5000
MIN_DURATION, MAX_DURATION = 15, 480
ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
TIME_FORMAT = "G \\h i"  # "14 h 30"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _lock(group: Group) -> Group:
    return Group.objects.select_for_update(of=("self",)).select_related("place", "platform").get(pk=group.pk)


# ---- The group


def _clean_group(
    *,
    platform: Platform,
    theme: str,
    description: str,
    facilitators: Sequence[PeerProfile],
    mode: str,
    place: Place | None,
    schedule: str,
    capacity: int,
    current: Group | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not theme.strip():
        errors["theme"] = [_("Indiquez le thème du groupe.")]
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("La présentation est trop longue (%(max)s caractères au plus).") % {"max": MAX_DESCRIPTION}
        ]
    unique = {peer.pk for peer in facilitators}
    if not 1 <= len(unique) <= 2:
        errors["facilitators"] = [_("Un groupe est animé par un·e ou deux pairs aidant·es : choisissez-en un ou deux.")]
    elif any(peer.platform_id != platform.pk for peer in facilitators):
        errors["facilitators"] = [_("Choisissez des pairs aidant·es de la plateforme.")]
    else:
        kept = set(current.facilitators.values_list("pk", flat=True)) if current is not None else set()
        today = timezone.localdate()
        if any(peer.pk not in kept and not peer.is_active_on(today) for peer in facilitators):
            errors["facilitators"] = [_("Choisissez des pairs aidant·es en activité.")]
    if mode not in MeetingMode.values:
        errors["mode"] = [_("Choisissez la forme du groupe.")]
    elif mode == MeetingMode.IN_PERSON and place is None:
        errors["place"] = [_("Pour un groupe en personne, choisissez un lieu.")]
    if place is not None and place.platform_id != platform.pk:
        errors["place"] = [_("Choisissez un lieu de la plateforme.")]
    if not schedule.strip():
        errors["schedule"] = [_("Indiquez le rythme du groupe, par exemple « le 1er et le 3e jeudi, 14 h ».")]
    if not 2 <= capacity <= 60:
        errors["capacity"] = [_("Le nombre de places va de 2 à 60.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(
    *,
    request: HttpRequest | None,
    platform: Platform,
    theme: str,
    description: str,
    facilitators: Sequence[PeerProfile],
    mode: str,
    place: Place | None,
    schedule: str,
    capacity: int,
    active: bool = True,
) -> Group:
    _clean_group(
        platform=platform,
        theme=theme,
        description=description,
        facilitators=facilitators,
        mode=mode,
        place=place,
        schedule=schedule,
        capacity=capacity,
        current=None,
    )
    group = Group.objects.create(
        platform=platform,
        theme=theme.strip(),
        description=description.strip(),
        mode=mode,
        place=place if mode == MeetingMode.IN_PERSON else None,
        schedule=schedule.strip(),
        capacity=capacity,
        active=active,
        registration_token=new_token(),
    )
    group.facilitators.set(facilitators)
    journal.log_create(request=request, obj=group, fields=[*GROUP_FIELDS, "facilitators"], platform=platform)
    return group


@transaction.atomic
def group_update(
    *,
    request: HttpRequest | None,
    group: Group,
    theme: str,
    description: str,
    facilitators: Sequence[PeerProfile],
    mode: str,
    place: Place | None,
    schedule: str,
    capacity: int,
    active: bool,
) -> Group:
    """Change the group. A larger capacity gives the new places to the first people waiting."""
    locked = _lock(group)
    _clean_group(
        platform=locked.platform,
        theme=theme,
        description=description,
        facilitators=facilitators,
        mode=mode,
        place=place,
        schedule=schedule,
        capacity=capacity,
        current=locked,
    )
    before = {name: getattr(locked, name) for name in GROUP_FIELDS}
    before_facilitators = set(locked.facilitators.values_list("pk", flat=True))
    locked.theme, locked.description, locked.mode = theme.strip(), description.strip(), mode
    locked.place = place if mode == MeetingMode.IN_PERSON else None
    locked.schedule, locked.capacity, locked.active = schedule.strip(), capacity, active
    locked.save()
    locked.facilitators.set(facilitators)
    after = {name: getattr(locked, name) for name in GROUP_FIELDS}
    fields = journal.changed_fields(before, after)
    if {peer.pk for peer in facilitators} != before_facilitators:
        fields.append("facilitators")
    if fields:
        journal.log_update(request=request, obj=locked, fields=fields)
    _promote(request=request, group=locked)
    return locked


@transaction.atomic
def group_token_rotate(*, request: HttpRequest | None, group: Group) -> Group:
    """A new public registration link: the previous one stops working."""
    locked = _lock(group)
    locked.registration_token = new_token()
    locked.save(update_fields=["registration_token"])
    journal.log_update(request=request, obj=locked, fields=["registration_token"])
    return locked


# ---- Registrations and the waiting list


def _registered_count(group: Group) -> int:
    return GroupRegistration.objects.filter(group=group, status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def registration_add(
    *,
    request: HttpRequest | None,
    group: Group,
    person: Person | None = None,
    pseudonym: str = "",
    phone: str = "",
    email: str = "",
    public: bool = False,
) -> GroupRegistration:
    """A place in the group if there is room, else the end of the waiting list. Either a person
    record of the platform, or (from the public link) a pseudonym and a way to reach them."""
    locked = _lock(group)
    if public and not locked.active:
        raise ValidationError(_("Les inscriptions à ce groupe sont fermées."))
    if person is not None:
        if person.platform_id != locked.platform_id:
            raise ValidationError({"person": [_("Choisissez une personne accompagnée par la plateforme.")]})
        if person.is_closed:
            raise ValidationError(
                {"person": [_("Cet accompagnement est clos : la personne ne peut plus être inscrite.")]}
            )
        if locked.registrations.filter(person=person, status__in=ACTIVE).exists():
            raise ValidationError(
                {
                    "person": [
                        _("%(name)s est déjà inscrit·e à ce groupe ou sur sa liste d'attente.")
                        % {"name": person.pseudonym}
                    ]
                }
            )
        fields = ["person", "status"]
    else:
        pseudonym, phone, email = pseudonym.strip(), phone.strip(), email.strip()
        errors: dict[str, list[str]] = {}
        if not pseudonym:
            errors["pseudonym"] = [_("Indiquez un prénom ou un pseudonyme.")]
        if not phone and not email:
            errors["phone"] = [_("Indiquez un téléphone ou une adresse e-mail, pour que l'équipe puisse vous joindre.")]
        if errors:
            raise ValidationError(errors)
        same = locked.registrations.filter(
            person__isnull=True, status__in=ACTIVE, pseudonym=pseudonym, phone=phone, email__iexact=email
        ).first()
        if same is not None:  # the same form sent twice
            return same
        fields = ["pseudonym", "status"] + (["phone"] if phone else []) + (["email"] if email else [])
    has_room = _registered_count(locked) < locked.capacity
    registration = GroupRegistration.objects.create(
        group=locked,
        person=person,
        pseudonym=pseudonym if person is None else "",
        phone=phone if person is None else "",
        email=email if person is None else "",
        status=RegistrationStatus.REGISTERED if has_room else RegistrationStatus.WAITING,
    )
    journal.log_create(request=request, obj=registration, fields=fields, platform=locked.platform)
    return registration


@transaction.atomic
def registration_cancel(*, request: HttpRequest | None, registration: GroupRegistration) -> list[GroupRegistration]:
    """Unregister (or leave the waiting list). A place set free goes to the first people waiting;
    they are told by e-mail when an address is known. Returns the registrations moved up."""
    locked = _lock(registration.group)
    current = GroupRegistration.objects.select_for_update().get(pk=registration.pk)
    if current.status not in ACTIVE:
        raise ValidationError(_("Cette inscription est déjà annulée."))
    current.status = RegistrationStatus.CANCELLED
    current.save(update_fields=["status"])
    journal.log_update(request=request, obj=current, fields=["status"], platform=locked.platform)
    return _promote(request=request, group=locked)


def _promote(*, request: HttpRequest | None, group: Group) -> list[GroupRegistration]:
    """Give the free places to the first people waiting (the group row is locked by the caller)."""
    free = group.capacity - _registered_count(group)
    if free <= 0:
        return []
    waiting = list(
        GroupRegistration.objects.select_for_update(of=("self",))
        .filter(group=group, status=RegistrationStatus.WAITING)
        .select_related("person")
        .order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
        journal.log_update(request=request, obj=registration, fields=["status"], platform=group.platform)
        _tell_promoted(group, registration)
    return waiting


def _tell_promoted(group: Group, registration: GroupRegistration) -> None:
    """An e-mail with a first name, a date and a place name at most (never the group's theme)."""
    person = registration.person
    address = person.email if person is not None else registration.email
    if not address:
        return
    upcoming = group.sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk").first()
    when = None
    if upcoming is not None:
        start = timezone.localtime(upcoming.starts_at)
        when = f"{date_format(start, 'l j F Y')}, {date_format(start, TIME_FORMAT)}"
    place = group.place.name if group.place is not None and group.mode == MeetingMode.IN_PERSON else ""
    email_queue(
        to=address,
        kind="support_group_place_free",
        template="support/emails/group_place_free.txt",
        context={
            "name": person.pseudonym if person is not None else registration.pseudonym,
            "when": when,
            "place": place,
            "mode": group.mode,
        },
        platform=group.platform,
    )


# ---- Sessions and attendance


@transaction.atomic
def session_add(
    *, request: HttpRequest | None, group: Group, starts_at: datetime, duration_minutes: int
) -> GroupSession:
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValidationError(
            {
                "duration_minutes": [
                    _("La durée va de %(min)s à %(max)s minutes.") % {"min": MIN_DURATION, "max": MAX_DURATION}
                ]
            }
        )
    if group.sessions.filter(starts_at=starts_at).exists():
        raise ValidationError({"starts_at": [_("Une séance de ce groupe est déjà prévue à ce moment-là.")]})
    session = GroupSession.objects.create(group=group, starts_at=starts_at, duration_minutes=duration_minutes)
    journal.log_create(request=request, obj=session, fields=["starts_at", "duration_minutes"], platform=group.platform)
    return session


@transaction.atomic
def session_attendance_save(
    *, request: HttpRequest | None, session: GroupSession, attendees: Sequence[GroupRegistration], held: bool
) -> GroupSession:
    """Who came, and whether the session took place. Anyone marked present means it was held."""
    locked = GroupSession.objects.select_for_update().get(pk=session.pk)
    if any(registration.group_id != locked.group_id for registration in attendees):
        raise ValidationError({"attendees": [_("Choisissez des personnes inscrites à ce groupe.")]})
    held = held or bool(attendees)
    if held and locked.starts_at > timezone.now():
        raise ValidationError(_("Cette séance n'a pas encore eu lieu : les présences se notent après."))
    before = set(locked.attendees.values_list("pk", flat=True))
    fields = []
    if {registration.pk for registration in attendees} != before:
        locked.attendees.set(attendees)
        fields.append("attendees")
    if locked.held != held:
        locked.held = held
        locked.save(update_fields=["held"])
        fields.append("held")
    if fields:
        journal.log_update(request=request, obj=locked, fields=fields, platform=locked.group.platform)
    return locked
