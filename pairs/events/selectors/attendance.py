"""Reads of the attendance pages: the event a user may take attendance of (the coordination: any event
of the platform; a peer worker: the events they lead, else 404), the roll call, its counts, and the
registration behind a certificate link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pairs.peers.models import PeerProfile
from pairs.platforms.http import PlatformRequest
from pairs.platforms.roles import Role

from ..models import Event, Registration, RegistrationStatus
from . import _int, platform_events

# Who is on the roll call: the confirmed, the places offered, and the walk-ins.
ROLL_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


def is_coordinator(request: PlatformRequest) -> bool:
    return request.membership is not None and request.membership.role == Role.COORDINATOR


def attendance_event_for(request: PlatformRequest, event_id: Any) -> Event:
    """The event whose attendance the user may take: any event of the platform for the coordination,
    only the events they lead for a peer worker. Anything else answers 404 (nothing is revealed)."""
    events = platform_events(request).select_related("platform", "commune", "programme")
    if not is_coordinator(request):
        membership = request.membership
        if membership is None or membership.role != Role.PEER_WORKER:
            raise Http404
        events = events.filter(trainers__membership=membership)
    event = events.filter(pk=_int(event_id)).first()
    if event is None:
        raise Http404
    return event


def event_day(event: Event) -> date:
    """The local date of the event's start (the day its hours are logged)."""
    return timezone.localdate(event.starts_at)


def roll_call_rows(event: Event) -> QuerySet[Registration]:
    """The people on the roll call, in alphabetical order."""
    return (
        Registration.objects.filter(event=event)
        .filter(Q(status__in=ROLL_STATUSES) | Q(walk_in=True, status=RegistrationStatus.CONFIRMED))
        .order_by(Lower("name"), "id")
    )


def roll_call(event: Event) -> list[Registration]:
    return list(roll_call_rows(event))


def registration_label(registration: Registration) -> str:
    """The name and the organisation, as the checkbox label; walk-ins are marked."""
    label = f"{registration.name} — {registration.organisation}" if registration.organisation else registration.name
    if registration.walk_in:
        return _("%(label)s (venu·e sans inscription)") % {"label": label}
    return label


@dataclass(frozen=True)
class RollCounts:
    present: int
    total: int
    certificates: int

    @property
    def label(self) -> str:
        """« 12 présent·es sur 15 inscrit·es »."""
        present = ngettext("%(n)s présent·e", "%(n)s présent·es", self.present) % {"n": self.present}
        total = ngettext("%(n)s inscrit·e", "%(n)s inscrit·es", self.total) % {"n": self.total}
        return _("%(present)s sur %(total)s") % {"present": present, "total": total}


def roll_counts(rows: list[Registration]) -> RollCounts:
    return RollCounts(
        present=sum(1 for row in rows if row.attended),
        total=len(rows),
        certificates=sum(1 for row in rows if row.certificate_sent_at is not None),
    )


def trainers_of(event: Event) -> list[PeerProfile]:
    """The event's trainers, with their names."""
    return list(event.trainers.select_related("membership__user").order_by("pk"))


def trainer_names(event: Event) -> list[str]:
    """The names of the event's trainers, in alphabetical order."""
    return sorted((str(profile) for profile in trainers_of(event)), key=str.casefold)


# ---- The certificate behind the registrant's link


def certificate_registration(token: str) -> Registration | None:
    """The registration of a personal link, with its event and platform (call it unscoped: the link
    alone names the platform)."""
    if not token or len(token) > 43:
        return None
    return (
        Registration.objects.select_related("platform", "event__platform", "event__commune", "event__programme")
        .filter(token=token)
        .first()
    )


def certificate_available(registration: Registration) -> bool:
    """A certificate exists for a person marked present once the attendance is validated."""
    event = registration.event
    return registration.attended is True and event.attendance_closed_at is not None and not event.is_cancelled


def duration_label(minutes: int) -> str:
    """« 2 h 30 », « 2 h », « 45 min »."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}
