"""Reads of person records: the list, one record's page (relatives, changes of referent,
requests to change, consents), who may edit it or see its contacts, the consents in force, and
the ranked suggestions of a referent peer worker (a constant number of queries whatever the
size of the pool)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pairs.peers import matching
from pairs.peers.models import AvailabilityException, AvailabilitySlot, PeerProfile
from pairs.peers.selectors.objects import profiles_of
from pairs.peers.selectors.profiles import communes_of
from pairs.peers.selectors.workload import weekly_indicators
from pairs.platforms.http import PlatformRequest
from pairs.platforms.models import Platform
from pairs.territory.models import Commune

from .. import matching as person_matching
from ..matching import Candidate, Need, Suggestion
from ..models import ChangeRequest, Consent, Meeting, MeetingStatus, PeerChange, Person, PersonStatus
from . import _int, is_coordinator, own_peer_profile, visible_people

# ---- Consents


def active_consent_kinds(person: Person) -> set[str]:
    """The kinds of consent the person has given and not withdrawn."""
    return set(
        Consent.objects.filter(person=person, withdrawn_at__isnull=True).values_list("kind", flat=True).distinct()
    )


def consents_of(person: Person) -> list[Consent]:
    """Every consent of the person, in force first, then withdrawn; the latest first."""
    consents = list(Consent.objects.filter(person=person).select_related("recorded_by", "withdrawn_by"))
    return sorted(consents, key=lambda c: (not c.active, -c.given_at.timestamp(), -c.pk))


def get_consent_for(request: PlatformRequest, consent_id: Any) -> Consent:
    """A consent of a record the signed-in staff member can see, or 404."""
    return get_object_or_404(
        Consent.objects.filter(person__in=visible_people(request)).select_related("person"), pk=_int(consent_id)
    )


# ---- Who may do what on a record


def is_referent(request: PlatformRequest, person: Person) -> bool:
    profile = own_peer_profile(request)
    return profile is not None and person.peer_id == profile.pk


def can_edit(request: PlatformRequest, person: Person) -> bool:
    """Coordinators and the referent peer worker (whatever the record's state)."""
    return is_coordinator(request) or is_referent(request, person)


def sees_contacts(request: PlatformRequest, person: Person) -> bool:
    """Phone and e-mail: coordinators and the referent only (not a worker who only meets the person)."""
    return can_edit(request, person)


# ---- The list


def person_list(
    request: PlatformRequest, *, status: str = "", peer: PeerProfile | None = None, q: str = ""
) -> QuerySet[Person]:
    """The records the signed-in user may see, with the date of the next planned meeting."""
    upcoming = Meeting.objects.filter(
        person_id=OuterRef("pk"), status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    qs = (
        visible_people(request)
        .select_related("commune", "peer__membership__user", "relative_of")
        .annotate(next_meeting=Subquery(upcoming.values("starts_at")[:1]))
    )
    if status:
        qs = qs.filter(status=status)
    if peer is not None:
        qs = qs.filter(peer=peer)
    if q:
        qs = qs.filter(pseudonym__icontains=q.strip())
    return qs.order_by("pseudonym", "pk")


def platform_profiles(platform: Platform) -> QuerySet[PeerProfile]:
    """Every peer worker of the platform, by name (for filters)."""
    return profiles_of(platform).order_by("membership__user__first_name", "membership__user__last_name", "pk")


# ---- One record


@dataclass
class RelativeLink:
    person: Person
    visible: bool  # the signed-in user may open that record


def relatives_of(request: PlatformRequest, person: Person) -> list[RelativeLink]:
    """The relatives' records linked to this person."""
    relatives = list(Person.objects.filter(platform_id=person.platform_id, relative_of=person).order_by("pseudonym"))
    if not relatives:
        return []
    visible = set(visible_people(request).filter(pk__in=[r.pk for r in relatives]).values_list("pk", flat=True))
    return [RelativeLink(relative, relative.pk in visible) for relative in relatives]


def relative_of_visible(request: PlatformRequest, person: Person) -> bool:
    """Whether the signed-in user may open the record this relative is linked to."""
    if person.relative_of_id is None:
        return False
    return visible_people(request).filter(pk=person.relative_of_id).exists()


def peer_changes(person: Person) -> list[PeerChange]:
    """The history of referents, oldest first."""
    return list(
        PeerChange.objects.filter(person=person).select_related(
            "from_peer__membership__user", "to_peer__membership__user"
        )
    )


def pending_change_requests(person: Person) -> list[ChangeRequest]:
    return list(ChangeRequest.objects.filter(person=person, handled_at__isnull=True))


def relative_choices(platform: Platform, person: Person | None = None) -> QuerySet[Person]:
    """The records a relative can be linked to: the platform's other people."""
    qs = Person.objects.filter(platform=platform).order_by("pseudonym", "pk")
    return qs.exclude(pk=person.pk) if person is not None else qs


def commune_choices(platform: Platform, person: Person | None = None) -> QuerySet[Commune]:
    """The communes of the platform's departments, and the record's own commune when it is outside."""
    qs = communes_of(platform)
    if person is not None and person.commune_id is not None:
        qs = Commune.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=person.commune_id)).order_by("name", "insee_code")
    return qs


# ---- Suggestions of a referent


def matchable_profiles(platform: Platform, day: date, *, excluding: int | None = None) -> QuerySet[PeerProfile]:
    """The peer workers who may become referent on ``day``: active account, status period covering the day
    (``excluding``: the current referent, who is not suggested again)."""
    profiles = (
        platform_profiles(platform)
        .filter(Q(status_end__isnull=True) | Q(status_end__gte=day), status_start__lte=day)
        .filter(membership__is_active=True, membership__user__is_active=True)
    )
    return profiles.exclude(pk=excluding) if excluding else profiles


def _place(commune: Commune | None) -> matching.Place | None:
    if commune is None:
        return None
    return matching.Place(commune.name, commune.latitude, commune.longitude)


def person_need(person: Person) -> Need:
    return Need(
        place=_place(person.commune),
        language=person.language,
        gender_preference=person.gender_preference,
        mode_preference=person.mode_preference,
    )


@dataclass
class PersonRanking:
    need: Need
    suggestions: list[Suggestion]

    @property
    def pool_size(self) -> int:
        return len(self.suggestions)


def peer_suggestions(person: Person, *, platform: Platform, today: date) -> PersonRanking:
    """Every peer worker of the person's platform who may become referent (the current one
    aside), ranked (see pairs/support/matching.py). One query per kind of information, for the
    whole pool at once."""
    need = person_need(person)
    profiles = list(matchable_profiles(platform, today).exclude(pk=person.peer_id or 0))
    if not profiles:
        return PersonRanking(need, [])
    ids = [profile.pk for profile in profiles]
    usual: dict[int, set[matching.Slot]] = defaultdict(set)
    for pid, weekday, part in AvailabilitySlot.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "weekday", "part"
    ):
        usual[pid].add((weekday, part))
    last = today + timedelta(days=6)
    periods: dict[int, list[DateRange]] = defaultdict(list)
    for pid, period in AvailabilityException.objects.filter(
        profile_id__in=ids, period__overlap=DateRange(today, last, "[]")
    ).values_list("profile_id", "period"):
        periods[pid].append(period)
    zone = timezone.get_current_timezone()
    window_start = datetime.combine(today, time.min, tzinfo=zone)
    taken: dict[int, set[matching.Slot]] = defaultdict(set)
    for pid, starts_at in Meeting.objects.filter(
        peer_id__in=ids,
        status=MeetingStatus.PLANNED,
        starts_at__gte=window_start,
        starts_at__lt=window_start + timedelta(days=7),
    ).values_list("peer_id", "starts_at"):
        taken[pid].add(matching.slot_of(timezone.localtime(starts_at, zone)))
    followed = dict(
        Person.objects.filter(platform=platform, peer_id__in=ids, status=PersonStatus.OPEN)
        .values("peer_id")
        .annotate(n=Count("pk"))
        .values_list("peer_id", "n")
    )
    week = weekly_indicators(platform, today, profile_ids=ids)
    candidates = []
    for profile in profiles:
        absent = matching.days_within(periods[profile.pk], today, last)
        free = tuple(
            slot
            for slot in matching.sort_slots(usual[profile.pk])
            if matching.first_date(today, slot[0]) not in absent and slot not in taken[profile.pk]
        )
        indicators = week.get(profile.pk)
        candidates.append(
            Candidate(
                profile_id=profile.pk,
                name=profile.membership.user.display_name,
                home=_place(profile.home_commune),
                usual_slots=frozenset(usual[profile.pk]),
                free_slots=free,
                languages=tuple(profile.languages),
                gender=profile.gender,
                alerts=matching.alert_labels(a.code for a in indicators.alerts) if indicators else (),
                people=followed.get(profile.pk, 0),
            )
        )
    return PersonRanking(need, person_matching.rank(need, candidates))
