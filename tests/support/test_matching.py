"""The referent peer worker: suggestions ranked by the engine shared with deployments (hand-built
cases, then gathered from the database in a constant number of queries), the choice, and a
change of referent recorded without blame."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.matching import Place, first_date
from pairs.peers.models import AvailabilityException, AvailabilitySlot, PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.matching import Candidate, Need, Suggestion, rank
from pairs.support.models import ChangeRequest, MeetingStatus, PeerChange, Person, PersonStatus
from pairs.support.selectors.persons import peer_suggestions
from tests.factories import UserFactory, commune
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import MeetingFactory, PersonFactory, person_of

LYON = Place("Lyon", 45.758, 4.835)
VILLEURBANNE = Place("Villeurbanne", 45.766, 4.879)
GIVORS = Place("Givors", 45.590, 4.769)
WEEK = frozenset((day, part) for day in range(5) for part in ("morning", "afternoon"))


def texts(suggestion: Suggestion) -> list[str]:
    return [reason.text for reason in suggestion.reasons]


# ---- Hand-built


def test_hand_built_ranking_with_reasons() -> None:
    need = Need(place=LYON, language="Arabe", gender_preference="woman", mode_preference="in_person")
    alice = Candidate(
        profile_id=1,
        name="Alice Martin",
        home=VILLEURBANNE,
        usual_slots=WEEK,
        free_slots=((0, "morning"), (1, "morning"), (2, "afternoon"), (4, "morning")),
        languages=("arabe", "anglais"),
        gender="woman",
        people=3,
    )
    bruno = Candidate(
        profile_id=2,
        name="Bruno Petit",
        home=GIVORS,
        usual_slots=frozenset({(0, "morning"), (3, "morning")}),
        free_slots=((3, "morning"),),
        languages=("Français",),
        gender="man",
        alerts=("heures",),
        people=15,
    )
    chloe = Candidate(profile_id=3, name="Chloé Durand", alerts=("heures", "lieux"))
    ranked = rank(need, [chloe, bruno, alice])
    assert [(s.name, s.score) for s in ranked] == [("Alice Martin", 100), ("Chloé Durand", 43), ("Bruno Petit", 26)]

    best, middle, last = ranked
    assert texts(best) == [
        "4 demi-journées libres dans les 7 prochains jours : lundi matin, mardi matin, mercredi après-midi, "
        "vendredi matin",
        "Habite à 4 km (Villeurbanne)",
        "Rencontre en personne souhaitée : habite tout près",
        "Parle Arabe",
        "Une femme, comme souhaité",
        "Aucune alerte de charge cette semaine",
        "Déjà référent·e de 3 personnes",
    ]
    assert best.free_slots == alice.free_slots
    assert texts(middle) == [
        "Disponibilités habituelles non renseignées : disponibilité non comparée",
        "Commune de résidence non renseignée : distance non comparée",
        "Rencontre en personne souhaitée : distance non comparée",
        "Ne parle pas Arabe",
        "Préférence : une femme ; genre du ou de la pair aidant·e non renseigné",
        "2 alertes cette semaine : heures, lieux",
        "Référent·e d'aucune personne pour l'instant",
    ]
    assert [r.points for r in middle.reasons] == [13, 10, 5, 0, 8, 0, 7]
    assert texts(last) == [
        "1 demi-journée libre dans les 7 prochains jours : jeudi matin",
        "Habite à 19 km (Givors)",
        "Rencontre en personne souhaitée : un peu de trajet",
        "Ne parle pas Arabe",
        "La personne préfère rencontrer une femme",
        "1 alerte cette semaine : heures",
        "Déjà référent·e de 15 personnes",
    ]
    assert [r.points for r in last.reasons] == [6, 12, 0, 0, 0, 4, 4]
    assert [str(r.level) for r in last.reasons][:3] == ["défavorable", "partiel", "défavorable"]


def test_without_preferences_every_worker_gets_the_points() -> None:
    far = Candidate(profile_id=1, name="Far", home=GIVORS, usual_slots=WEEK, gender="man")
    (only,) = rank(Need(place=LYON), [far])
    assert texts(only)[2:5] == [
        "Pas de préférence : en personne ou à distance",
        "Pas de langue demandée",
        "Pas de préférence",
    ]
    assert [r.points for r in only.reasons][2:5] == [10, 15, 15]
    (remote,) = rank(Need(place=LYON, mode_preference="remote", language="français"), [far])
    assert texts(remote)[2:4] == [
        "Rencontre au téléphone ou en visio souhaitée : possible quelle que soit la distance",
        "Parle français",
    ]
    assert texts(remote)[0] == "Aucune demi-journée libre dans les 7 prochains jours"


# ---- From the database


def _worker(platform: Platform, name: str, **kwargs: Any) -> PeerProfile:
    return PeerProfileFactory(membership__platform=platform, membership__user__first_name=name, **kwargs)


def test_suggestions_count_free_half_days_people_followed_and_leave_out_who_cannot(platform: Platform) -> None:
    today = timezone.localdate()
    lyon = commune("69123", "Lyon", 45.758, 4.835)
    current = _worker(platform, "Current")
    sam = PersonFactory(platform=platform, peer=current, commune=lyon, language="anglais")
    ana = _worker(platform, "Ana", home_commune=lyon, languages=["Anglais"], gender="woman")
    for weekday, part in [(0, "morning"), (1, "morning"), (2, "afternoon")]:
        AvailabilitySlot.objects.create(profile=ana, weekday=weekday, part=part)
    tuesday = first_date(today, 1)
    starts = datetime.combine(tuesday, time(10), tzinfo=timezone.get_current_timezone())
    MeetingFactory(person=PersonFactory(platform=platform, peer=ana), peer=ana, starts_at=starts)
    MeetingFactory(
        person=PersonFactory(platform=platform, peer=ana),
        peer=ana,
        starts_at=starts + timedelta(hours=1),
        status=MeetingStatus.CANCELLED,
    )
    wednesday = first_date(today, 2)
    AvailabilityException.objects.create(profile=ana, period=DateRange(wednesday, wednesday, "[]"), kind="leave")
    ben = _worker(platform, "Ben")
    PersonFactory(platform=platform, peer=ben, status=PersonStatus.CLOSED)
    _worker(platform, "Gone", status_end=today - timedelta(days=1))
    _worker(platform, "Off", membership__is_active=False)

    result = peer_suggestions(sam, platform=platform, today=today)
    by_name = {s.candidate.name.split()[0]: s for s in result.suggestions}
    assert set(by_name) == {"Ana", "Ben"}
    ana_s = by_name["Ana"]
    assert ana_s.candidate.free_slots == ((0, "morning"),)
    assert ana_s.candidate.people == 2
    assert ana_s.reasons[0].text == "1 demi-journée libre dans les 7 prochains jours : lundi matin"
    assert ana_s.reasons[3].text == "Parle anglais"
    assert by_name["Ben"].candidate.people == 0
    assert result.need.place is not None and result.need.place.name == "Lyon"


# ---- The page


def match_url(person: Person) -> str:
    return f"/accompagnement/personnes/{person.pk}/pair-aidant/"


def test_coordinator_chooses_a_suggestion_and_the_worker_is_told_without_personal_content(
    platform: Platform, client_as: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    sam = PersonFactory(platform=platform, pseudonym="Sam", peer=None)
    ana = _worker(platform, "Ana")
    response = client.get(match_url(sam))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choisir le ou la pair aidant·e référent·e" in text
    assert f"Choisir {ana.membership.user.display_name}" in text and "sur 100" in text
    assert "Score sur 100 : disponibilité 25, distance 20" in text

    response = client.post(match_url(sam), {"peer": ana.pk, "reason": ""})
    assert response.status_code == 302 and response["Location"].endswith("#referent")
    sam.refresh_from_db()
    assert sam.peer == ana
    change = PeerChange.objects.get(person=sam)
    assert change.from_peer is None and change.to_peer == ana and change.by == membership.user
    mail = OutgoingEmail.objects.get(kind="support_referent")
    assert mail.to == ana.membership.user.email
    assert mail.subject == "Une nouvelle personne vous est confiée"
    assert "Sam" not in mail.subject + mail.body and f"/accompagnement/personnes/{sam.pk}/" in mail.body
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.person", object_id=str(sam.pk))
    assert entry.fields == ["peer"]
    page = client.get(f"/accompagnement/personnes/{sam.pk}/").content.decode()
    assert "premier·e référent·e" in page and "Changement" not in page


def test_a_change_asked_by_the_person_is_recorded_without_blame(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    first = _worker(platform, "Ana")
    sam = person_of(platform, pseudonym="Sam", peer=first)
    asked = ChangeRequest.objects.create(person=sam, message="")
    second = _worker(platform, "Ben")
    third = _worker(platform, "Cleo")
    text = client.get(match_url(sam)).content.decode()
    assert "Changer de pair aidant·e référent·e" in text
    assert "La personne a demandé à changer de pair aidant·e" in text
    assert re.search(r'<input type="checkbox" name="asked_by_person"[^>]* checked', text)  # pre-ticked
    assert f"Choisir {first.membership.user.display_name}" not in text  # the current one is not suggested

    client.post(match_url(sam), {"use_other": "1", "other": second.pk, "asked_by_person": "on", "reason": "Horaires"})
    asked.refresh_from_db()
    assert asked.handled_at is not None
    change = PeerChange.objects.get(person=sam, to_peer=second)
    assert change.from_peer == first and change.asked_by_person and change.reason == "Horaires"
    client.post(match_url(sam), {"peer": third.pk})
    assert PeerChange.objects.get(person=sam, to_peer=third).asked_by_person is False

    page = client.get(f"/accompagnement/personnes/{sam.pk}/").content.decode()
    assert "Changement à la demande de la personne." in page
    assert "Changement décidé par la coordination." in page
    for blame in ("faute", "échec", "problème"):
        assert blame not in page


def test_invalid_choices_are_refused_in_french(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    current = _worker(platform, "Ana")
    sam = person_of(platform, peer=current)
    elsewhere = _worker(other_platform, "Zoé")
    for data in ({"peer": current.pk}, {"peer": elsewhere.pk}, {"use_other": "1", "other": ""}):
        response = client.post(match_url(sam), data)
        assert response.status_code == 200
        assert "Le choix n'est pas enregistré" in response.content.decode()
    assert PeerChange.objects.count() == 0


def test_only_coordinators_choose(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    worker_client, membership = client_as(Role.PEER_WORKER, platform)
    sam = person_of(platform, peer=PeerProfileFactory(membership=membership))
    assert worker_client.get(match_url(sam)).status_code == 403
    elsewhere, _ = client_as(Role.COORDINATOR, other_platform)
    assert elsewhere.get(match_url(sam)).status_code == 404


def test_closed_record_has_no_choice(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    sam = person_of(platform, status=PersonStatus.CLOSED, closed_on=timezone.localdate())
    ana = _worker(platform, "Ana")
    response = client.post(match_url(sam), {"peer": ana.pk}, follow=True)
    assert "Cet accompagnement est clos" in response.content.decode()
    assert PeerChange.objects.count() == 0


@pytest.mark.parametrize("pool", [2, 20])
def test_match_page_query_count_is_constant(
    pool: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    lyon = commune("69123", "Lyon", 45.758, 4.835)
    sam = person_of(platform, commune=lyon)
    ChangeRequest.objects.create(person=sam)
    today = timezone.localdate()
    for i in range(pool):
        worker = _worker(platform, f"W{i}", home_commune=lyon, languages=["anglais"])
        AvailabilitySlot.objects.create(profile=worker, weekday=i % 5, part="morning")
        AvailabilityException.objects.create(profile=worker, period=DateRange(today, today, "[]"), kind="leave")
        MeetingFactory(person=person_of(platform, peer=worker), peer=worker)
    UserFactory()
    # session, user, membership, second factor, scope set, the person, change requests, the read
    # journaled, then the suggestions: workers, usual half-days, absences, meetings, people
    # followed, the week's indicators and thresholds; the workers to choose from; scope clear,
    # the session save (3).
    with django_assert_num_queries(20):
        response = client.get(match_url(sam))
    assert response.status_code == 200
