"""A worker's weekly availability and absences, and the coordination's "who is available?"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import AbsenceKind, AvailabilityException, AvailabilitySlot, DayPart, PeerStatus
from pairs.peers.selectors.profiles import next_weekday
from pairs.peers.services.profiles import availability_absence_add, availability_set_pattern
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.peers.factories_profiles import ANSE, GIVORS, LYON, TARARE, VILLEFRANCHE, SkillFactory, absence, peer, place
from tests.peers.factories_profiles import slot as make_slot

MINE = "/mes-disponibilites/"
SEARCH = "/vivier/disponibles/"
OVERLAP = "Cette période chevauche une indisponibilité déjà saisie."


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


# ---- The weekly pattern


def test_worker_sets_the_weekly_pattern(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    make_slot(profile, 0, DayPart.MORNING)

    text = body(client.get(MINE))
    assert "Ma semaine habituelle" in text and "<legend>Mardi</legend>" in text
    assert 'value="0-morning" id="slot-0-morning" checked' in text

    response = client.post(MINE, {"form": "pattern", "slots": ["1-afternoon", "4-evening"]})

    assert response.status_code == 302
    assert set(AvailabilitySlot.objects.filter(profile=profile).values_list("weekday", "part")) == {
        (1, "afternoon"),
        (4, "evening"),
    }


def test_an_unknown_slot_is_refused(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    response = client.post(MINE, {"form": "pattern", "slots": ["9-night"]})
    assert response.status_code == 200
    assert not AvailabilitySlot.objects.filter(profile=profile).exists()
    with pytest.raises(ValidationError):
        availability_set_pattern(profile=profile, slots=[(7, "morning")])


def test_availability_page_needs_a_profile(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    assert client.get(MINE).status_code == 404


def test_coordinator_cannot_use_the_worker_pages(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get(MINE).status_code == 403
    assert client.get("/ma-fiche/").status_code == 403


# ---- Absences


def _absence_data(first: date, last: date, kind: str = AbsenceKind.LEAVE) -> dict[str, str]:
    return {
        "form": "absence",
        "absence-start": first.isoformat(),
        "absence-end": last.isoformat(),
        "absence-kind": kind,
    }


def test_worker_adds_an_absence_journaled(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    first = timezone.localdate() + timedelta(days=10)

    response = client.post(MINE, _absence_data(first, first + timedelta(days=4), AbsenceKind.TRAINING))

    assert response.status_code == 302
    item = AvailabilityException.objects.get(profile=profile)
    assert item.kind == AbsenceKind.TRAINING
    assert first in item.period and first + timedelta(days=4) in item.period
    assert first + timedelta(days=5) not in item.period
    text = body(client.get(MINE))
    assert f"du {first:%d/%m/%Y} au {first + timedelta(days=4):%d/%m/%Y} inclus" in text
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="peers.availabilityexception")
    assert entry.fields == ["kind", "period"] and entry.platform == platform


def test_overlapping_absence_is_refused_and_nothing_saved(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    first = timezone.localdate() + timedelta(days=10)
    absence(profile, first, first + timedelta(days=4))

    # The last day is included: starting on it overlaps.
    response = client.post(MINE, _absence_data(first + timedelta(days=4), first + timedelta(days=8)))

    assert response.status_code == 200
    text = body(response)
    assert OVERLAP in text
    assert f'value="{first + timedelta(days=8):%Y-%m-%d}"' in text  # what was typed is kept
    assert AvailabilityException.objects.filter(profile=profile).count() == 1
    assert not JournalEntry.objects.filter(object_type="peers.availabilityexception").exists()

    # The day after is fine.
    response = client.post(MINE, _absence_data(first + timedelta(days=5), first + timedelta(days=8)))
    assert response.status_code == 302
    assert AvailabilityException.objects.filter(profile=profile).count() == 2


def test_overlap_service_message_and_the_transaction_goes_on(platform: Platform) -> None:
    profile = peer(platform)
    other = peer(platform)
    day = date(2026, 12, 1)
    absence(profile, day, day + timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        availability_absence_add(request=None, profile=profile, start=day - timedelta(days=3), end=day, kind="leave")
    assert error.value.messages == [OVERLAP]
    # The savepoint kept the surrounding transaction usable; another worker's period is free.
    availability_absence_add(request=None, profile=other, start=day, end=day, kind="leave")
    assert AvailabilityException.objects.count() == 2


def test_absence_end_before_start_is_refused(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    peer(platform, membership=membership)
    first = timezone.localdate() + timedelta(days=3)
    response = client.post(MINE, _absence_data(first, first - timedelta(days=1)))
    assert response.status_code == 200
    assert "La fin doit être le même jour que le début, ou après." in body(response)
    assert not AvailabilityException.objects.exists()


def test_worker_deletes_own_absence_only(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    profile = peer(platform, membership=membership)
    first = timezone.localdate() + timedelta(days=3)
    mine = absence(profile, first, first)
    theirs = absence(peer(platform), first, first)

    assert client.get(f"/mes-disponibilites/absences/{mine.pk}/supprimer/").status_code == 405
    assert client.post(f"/mes-disponibilites/absences/{theirs.pk}/supprimer/").status_code == 404
    response = client.post(f"/mes-disponibilites/absences/{mine.pk}/supprimer/")

    assert response.status_code == 302
    assert list(AvailabilityException.objects.all()) == [theirs]
    assert JournalEntry.objects.filter(action=Action.DELETE, object_type="peers.availabilityexception").exists()


def test_profile_shows_pattern_and_upcoming_absences(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    make_slot(worker, 1, DayPart.AFTERNOON)
    today = timezone.localdate()
    absence(worker, today - timedelta(days=30), today - timedelta(days=20))
    absence(worker, today + timedelta(days=2), today + timedelta(days=3), AbsenceKind.SICKNESS)

    text = body(client.get(f"/vivier/{worker.pk}/"))
    assert "Disponibilités habituelles" in text and text.count("Disponible</span>") == 1
    assert f"Arrêt maladie : du {today + timedelta(days=2):%d/%m/%Y}" in text
    assert f"{today - timedelta(days=30):%d/%m/%Y}" not in text


# ---- Who is available?


def test_next_weekday() -> None:
    tuesday = date(2026, 11, 24)
    assert next_weekday(tuesday, 1) == tuesday
    assert next_weekday(tuesday, 0) == date(2026, 11, 30)
    assert next_weekday(tuesday, 2) == date(2026, 11, 25)


def test_free_search_orders_by_distance_and_excludes_the_absent(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    villefranche = place(VILLEFRANCHE)
    day = next_weekday(timezone.localdate(), 1)

    def worker(name: str, home: tuple[str, str, float, float], **kwargs: Any) -> Any:
        profile = peer(platform, home_commune=place(home), membership__user__first_name=name, **kwargs)
        make_slot(profile, 1, DayPart.AFTERNOON)
        return profile

    far = worker("Lointaine", GIVORS)
    near = worker("Proche", ANSE)
    middle = worker("Moyenne", LYON)
    middle.zones.add(villefranche)
    absent = worker("Absente", VILLEFRANCHE)
    absence(absent, day - timedelta(days=1), day)
    worker("Partie", TARARE, status_end=timezone.localdate() - timedelta(days=1))
    other_slot = peer(platform, home_commune=villefranche, membership__user__first_name="Matinale")
    make_slot(other_slot, 1, DayPart.MORNING)

    response = client.get(SEARCH, {"weekday": 1, "part": "afternoon", "near": villefranche.pk})

    text = body(response)
    assert "Qui est disponible ?" in text
    assert f"Le {day:%d}" in text or "Le mardi" in text
    for name in ("Absente", "Partie", "Matinale"):
        assert name not in text
    assert text.index("Proche") < text.index("Moyenne") < text.index("Lointaine")
    assert "6 km" in text  # Anse – Villefranche
    rows = list(response.context["page"].object_list)
    assert [p.pk for p in rows] == [near.pk, middle.pk, far.pk]
    assert [p.in_zone for p in rows] == [False, True, False]
    assert 20 < rows[1].distance_km < 30


def test_free_search_filters_by_skill_and_language(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    skill = SkillFactory(platform=platform, name="Parentalité")
    a = peer(platform, home_commune=place(LYON), languages=["français", "arabe"], membership__user__first_name="Awa")
    b = peer(platform, home_commune=place(LYON), languages=["français"], membership__user__first_name="Bruno")
    a.skills.add(skill)
    for profile in (a, b):
        make_slot(profile, 3, DayPart.MORNING)
    base = {"weekday": 3, "part": "morning", "near": LYON[0]}

    assert "arabe" in body(client.get(SEARCH))  # the languages spoken in the pool are offered
    assert [p.pk for p in client.get(SEARCH, {**base, "skill": skill.pk}).context["page"].object_list] == [a.pk]
    assert [p.pk for p in client.get(SEARCH, {**base, "language": "arabe"}).context["page"].object_list] == [a.pk]
    both = client.get(SEARCH, base).context["page"].object_list
    assert {p.pk for p in both} == {a.pk, b.pk}


def test_free_search_counts_a_future_start_as_not_active(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    later = peer(
        platform,
        home_commune=place(LYON),
        status=PeerStatus.VOLUNTEER,
        status_start=timezone.localdate() + timedelta(days=30),
    )
    make_slot(later, 2, DayPart.EVENING)
    response = client.get(SEARCH, {"weekday": 2, "part": "evening", "near": LYON[0]})
    assert "Personne n'est disponible" in body(response)


def test_free_search_empty_form_shows_no_results(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.get(SEARCH)
    assert response.status_code == 200 and response.context["search"] is None


@pytest.mark.parametrize("rows", [1, 30])
def test_free_search_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    skills = [SkillFactory(platform=platform, name=f"Compétence {i}") for i in range(3)]
    home = place(LYON)
    for _i in range(rows):
        profile = peer(platform, home_commune=home)
        profile.skills.set(skills)
        make_slot(profile, 1, DayPart.AFTERNOON)
    query = {"weekday": 1, "part": "afternoon", "near": VILLEFRANCHE[0]}
    place(VILLEFRANCHE)
    # session, user, memberships, second factor, scope set, the languages offered, the chosen
    # commune, count, page, skills (prefetch), the commune and skill choices, scope clear, the
    # session save (3).
    with django_assert_num_queries(16):
        response = client.get(SEARCH, query)
    assert len(response.context["page"].object_list) == rows
