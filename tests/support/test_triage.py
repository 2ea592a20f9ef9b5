"""The coordinators' triage queue: ages and the target time to first contact in words, late requests
first, de-duplication hints, first contact, redirection elsewhere, acceptance into a person record,
the platform's delay, and who may see or do what."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Person, PersonStatus, Relation, RequestStatus, SupportRequest, SupportSettings
from pairs.support.selectors import intake as selectors
from pairs.support.services.intake import support_request_accept
from tests.factories import commune
from tests.support.factories import PersonFactory, SupportRequestFactory

QUEUE = "/accompagnement/demandes/"


def url(support_request: SupportRequest) -> str:
    return f"{QUEUE}{support_request.pk}/"


def body(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'")


def received(support_request: SupportRequest, day: date, hour: int = 10) -> SupportRequest:
    """Pretend the request arrived on ``day`` (created_at is set on insert)."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    SupportRequest.objects.filter(pk=support_request.pk).update(created_at=moment)
    support_request.refresh_from_db()
    return support_request


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def coordinator(platform: Platform, client_as: Any) -> tuple[Client, Any]:
    client, membership = client_as(Role.COORDINATOR, platform)
    return client, membership


def _row_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


# ---- Working days


def test_working_days_skip_weekends_and_french_public_holidays() -> None:
    friday = date(2026, 3, 6)
    assert selectors.add_working_days(friday, 3) == date(2026, 3, 11)  # Monday, Tuesday, Wednesday
    assert selectors.add_working_days(date(2026, 4, 30), 1) == date(2026, 5, 4)  # 1 May is a holiday
    assert date(2026, 4, 6) in selectors.public_holidays(2026)  # Easter Monday 2026
    assert date(2026, 5, 14) in selectors.public_holidays(2026)  # Ascension 2026
    assert selectors.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_late_threshold_matches_each_deadline() -> None:
    today = date(2026, 3, 12)  # a Thursday
    threshold = timezone.localtime(selectors.late_before(today, 3)).date()
    # Received Friday 6 to Sunday 8: deadline Wednesday 11, late on Thursday 12. Received Monday 9:
    # deadline Thursday 12, still on time.
    assert threshold == date(2026, 3, 9)
    assert timezone.localtime(selectors.late_before(today, 3)).time() == time(0, 0)


# ---- The queue


def test_queue_shows_age_relation_commune_and_the_target_in_words(
    platform: Platform, coordinator: tuple[Client, Any]
) -> None:
    client, _membership = coordinator
    SupportRequestFactory(platform=platform, pseudonym="Aurore", relation=Relation.RELATIVE)
    received(SupportRequestFactory(platform=platform, pseudonym="Bastien"), days_ago(15))
    SupportRequestFactory(
        platform=platform, pseudonym="Céleste", commune=None, commune_name="Brest", outside_territory=True
    )
    deadline = selectors.add_working_days(days_ago(15), 3)

    page = body(client.get(QUEUE))

    assert "reçue aujourd'hui" in page and "reçue il y a 15 jours" in page
    assert "Un·e proche" in page and "Villefranche-sur-Saône" in page
    assert "Brest" in page and "hors territoire" in page
    late_by = (timezone.localdate() - deadline).days
    assert f"en retard de {late_by} jours" in page
    assert "dans les délais" in page
    assert "1 demande attend son premier contact au-delà du délai promis" in page
    assert "Aurore" in page and "Bastien" in page


def test_late_requests_come_first_then_the_oldest(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    received(SupportRequestFactory(platform=platform, pseudonym="Aurore"), days_ago(0))
    received(SupportRequestFactory(platform=platform, pseudonym="Bastien"), days_ago(15))
    received(SupportRequestFactory(platform=platform, pseudonym="Corentin"), days_ago(25))
    contacted = SupportRequestFactory(
        platform=platform,
        pseudonym="Dorian",
        status=RequestStatus.CONTACTED,
        first_contact_at=timezone.now() - timedelta(days=29),
    )
    received(contacted, days_ago(30))
    received(SupportRequestFactory(platform=platform, pseudonym="Estelle"), days_ago(1))

    page = body(client.get(QUEUE))

    names = ["Aurore", "Bastien", "Corentin", "Dorian", "Estelle"]
    assert _row_order(page, names) == ["Corentin", "Bastien", "Dorian", "Estelle", "Aurore"]


def test_tabs_filter_by_status(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    SupportRequestFactory(platform=platform, pseudonym="Aurore")
    SupportRequestFactory(platform=platform, pseudonym="Bastien", status=RequestStatus.REDIRECTED)
    SupportRequestFactory(platform=platform, pseudonym="Corentin", status=RequestStatus.ACCEPTED)

    todo = body(client.get(QUEUE))
    assert "Aurore" in todo and "Bastien" not in todo and "Corentin" not in todo
    assert 'À traiter <span class="intake-tab-count">(1)</span>' in todo
    redirected = body(client.get(QUEUE + "?etat=redirected"))
    assert "Bastien" in redirected and "Aurore" not in redirected
    assert "Corentin" in body(client.get(QUEUE + "?etat=accepted"))
    assert "Aurore" in body(client.get(QUEUE + "?etat=n-importe-quoi"))


def test_queue_counts_possible_duplicates(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    SupportRequestFactory(platform=platform, pseudonym="Aurore", phone="06 11 11 11 11")
    SupportRequestFactory(platform=platform, pseudonym="Zoé", phone="06 11 11 11 11")
    PersonFactory(platform=platform, pseudonym="Quentin", phone="+33 6 11 11 11 11", email="")
    SupportRequestFactory(platform=platform, pseudonym="Xavier", phone="06 22 22 22 22")

    page = body(client.get(QUEUE))

    assert page.count("2 possibles") == 2
    assert page.count('<span class="muted">aucun</span>') == 1


def _fill_queue(platform: Platform, rows: int) -> None:
    names = ["Aurore", "Bastien", "Corentin", "Dorian", "Estelle", "Fanny", "Gaspard", "Hélène", "Inès", "Jules"]
    for index in range(rows):
        request = SupportRequestFactory(
            platform=platform,
            pseudonym=f"{names[index % len(names)]} {index}",
            phone=f"06 {index % 90 + 10} 00 00 00",
            email=f"p{index}@example.org" if index % 2 else "",
            commune=None if index % 3 == 0 else commune(),
            outside_territory=index % 3 == 0,
        )
        received(request, days_ago(index % 20))
    PersonFactory.create_batch(rows, platform=platform)


def test_the_queue_needs_the_same_number_of_queries_for_few_or_many_requests(
    platform: Platform, coordinator: tuple[Client, Any]
) -> None:
    client, _membership = coordinator
    _fill_queue(platform, 2)
    client.get(QUEUE)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    _fill_queue(platform, 40)
    with CaptureQueriesContext(connection) as many:
        assert client.get(QUEUE).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


# ---- Who may see the queue


def test_peer_workers_are_refused(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PEER_WORKER, platform)
    request = SupportRequestFactory(platform=platform)
    assert client.get(QUEUE).status_code == 403
    assert client.get(url(request)).status_code == 403
    assert client.post(url(request), {"action": "contact"}).status_code == 403
    assert client.get("/accompagnement/reglages/").status_code == 403
    assert SupportRequest.objects.get().status == RequestStatus.NEW


def test_another_platforms_request_answers_404(
    platform: Platform, other_platform: Platform, coordinator: tuple[Client, Any]
) -> None:
    client, _membership = coordinator
    elsewhere = SupportRequestFactory(platform=other_platform, pseudonym="Ailleurs")
    assert client.get(url(elsewhere)).status_code == 404
    for action in ("contact", "accept", "redirect"):
        assert client.post(url(elsewhere), {"action": action, "where": "CMP"}).status_code == 404
    assert "Ailleurs" not in body(client.get(QUEUE))
    assert SupportRequest.objects.get(pk=elsewhere.pk).status == RequestStatus.NEW


def test_anonymous_visitors_are_sent_to_sign_in(platform: Platform) -> None:
    response = Client().get(QUEUE)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


# ---- One request


def test_request_page_shows_every_field_and_journals_the_read(
    platform: Platform, coordinator: tuple[Client, Any]
) -> None:
    client, membership = coordinator
    request = SupportRequestFactory(
        platform=platform,
        pseudonym="Aurore",
        email="aurore@example.org",
        contact_times="Le matin",
        topics=["relative", "group"],
        language="Arabe",
        gender_preference="woman",
        mode_preference="remote",
        looking_for="Mon fils est hospitalisé, je ne sais pas à qui parler.",
    )
    page = body(client.get(url(request)))
    for text in (
        "Demande de Aurore",
        "06 39 98 00 01",
        "aurore@example.org",
        "Le matin",
        "Soutenir un proche",
        "Rejoindre un groupe",
        "Arabe",
        "Une femme",
        "Au téléphone ou en visio",
        "Mon fils est hospitalisé",
        "Villefranche-sur-Saône",
    ):
        assert text in page, text
    entry = JournalEntry.objects.get(action=Action.VIEW, object_type="support.supportrequest")
    assert entry.actor == membership.user and entry.object_id == str(request.pk)


def test_duplicate_hints_by_phone_email_and_similar_name(
    platform: Platform, other_platform: Platform, coordinator: tuple[Client, Any]
) -> None:
    client, _membership = coordinator
    request = SupportRequestFactory(
        platform=platform, pseudonym="Gwendoline", phone="06 12 34 56 78", email="Gwen@Example.org"
    )
    same_phone = PersonFactory(platform=platform, pseudonym="Alpha", phone="0612345678", email="")
    same_email = PersonFactory(platform=platform, pseudonym="Bravo", phone="", email="gwen@example.ORG")
    similar = SupportRequestFactory(platform=platform, pseudonym="Gwendolinne", phone="07 00 00 00 01")
    accented = SupportRequestFactory(platform=platform, pseudonym="Gwëndoliné", phone="07 00 00 00 02")
    PersonFactory(platform=platform, pseudonym="Charlie", phone="06 99 99 99 99", email="autre@example.org")
    PersonFactory(platform=other_platform, pseudonym="Gwendoline", phone="06 12 34 56 78")

    page = body(client.get(url(request)))

    doubles = page.split('id="doublons"')[1].split("</section>")[0]
    assert f'href="/accompagnement/personnes/{same_phone.pk}/"' in doubles
    assert f'href="/accompagnement/personnes/{same_email.pk}/"' in doubles
    assert f'href="/accompagnement/demandes/{similar.pk}/"' in doubles
    assert f'href="/accompagnement/demandes/{accented.pk}/"' in doubles
    assert "même téléphone" in doubles and "même adresse e-mail" in doubles
    assert "prénom ou pseudonyme proche" in doubles
    assert "Charlie" not in doubles
    assert "(4)" in doubles  # the other platform's record is not a hint


def test_first_contact_is_recorded_and_journaled(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, membership = coordinator
    request = SupportRequestFactory(platform=platform)

    response = client.post(url(request), {"action": "contact"}, follow=True)

    assert "Premier contact noté." in body(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.CONTACTED and request.first_contact_at is not None
    assert request.handled_by == membership.user
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.supportrequest")
    assert entry.fields == ["first_contact_at", "handled_by", "status"]
    assert "dans les délais" in body(response)


def test_redirecting_elsewhere_needs_a_place(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    request = SupportRequestFactory(platform=platform)

    response = client.post(url(request), {"action": "redirect", "where": "  "})

    assert response.status_code == 200
    assert "Indiquez vers qui ou vers quel lieu la demande est orientée." in body(response)
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.redirected_to == ""

    response = client.post(url(request), {"action": "redirect", "where": "GEM de Villeurbanne"}, follow=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.REDIRECTED and request.redirected_to == "GEM de Villeurbanne"
    assert "Orientée vers : GEM de Villeurbanne" in body(response)
    entry = JournalEntry.objects.filter(action=Action.UPDATE, object_type="support.supportrequest").get()
    assert "redirected_to" in entry.fields and "GEM" not in str(entry.fields)


def test_accepting_opens_a_person_record(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, membership = coordinator
    request = SupportRequestFactory(
        platform=platform,
        pseudonym="Aurore",
        relation=Relation.RELATIVE,
        email="aurore@example.org",
        contact_times="Le matin",
        language="Arabe",
        gender_preference="woman",
        place_preference="public",
        mode_preference="in_person",
    )

    response = client.post(url(request), {"action": "accept", "existing_person": "new"})

    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accompagnement/personnes/{person.pk}/"
    assert (person.platform, person.pseudonym, person.relation) == (platform, "Aurore", Relation.RELATIVE)
    assert (person.phone, person.email, person.contact_times) == ("06 39 98 00 01", "aurore@example.org", "Le matin")
    assert (person.language, person.gender_preference, person.place_preference, person.mode_preference) == (
        "Arabe",
        "woman",
        "public",
        "in_person",
    )
    assert person.commune == request.commune and person.opened_on == timezone.localdate()
    assert person.status == PersonStatus.OPEN
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED and request.person == person
    assert request.first_contact_at is not None and request.handled_by == membership.user
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="support.person").exists()
    update = JournalEntry.objects.get(action=Action.UPDATE, object_type="support.supportrequest")
    assert "person" in update.fields and "status" in update.fields


def test_accepting_can_link_to_an_existing_record(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    existing = PersonFactory(platform=platform, pseudonym="Aurélie", phone="06 39 98 00 01")
    request = SupportRequestFactory(platform=platform, pseudonym="Aurore")
    page = body(client.get(url(request)))
    assert "Rattacher au dossier de Aurélie" in page

    response = client.post(url(request), {"action": "accept", "existing_person": str(existing.pk)})

    assert response["Location"] == f"/accompagnement/personnes/{existing.pk}/"
    assert Person.objects.count() == 1
    request.refresh_from_db()
    assert request.person == existing


def test_a_record_that_is_not_a_hint_cannot_be_chosen(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    unrelated = PersonFactory(platform=platform, pseudonym="Zacharie", phone="07 77 77 77 77", email="")
    request = SupportRequestFactory(platform=platform, pseudonym="Aurore")
    response = client.post(url(request), {"action": "accept", "existing_person": str(unrelated.pk)})
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.person is None


def test_a_request_is_accepted_only_once(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, membership = coordinator
    request = SupportRequestFactory(platform=platform)
    client.post(url(request), {"action": "accept", "existing_person": "new"})

    response = client.post(url(request), {"action": "accept", "existing_person": "new"}, follow=True)

    assert "Cette demande est déjà acceptée" in body(response)
    assert Person.objects.count() == 1
    stale = SupportRequest.objects.get(pk=request.pk)
    stale.status = RequestStatus.NEW  # a copy read before the first acceptance
    with pytest.raises(ValidationError):
        support_request_accept(request=None, support_request=stale, by=membership.user)
    assert Person.objects.count() == 1


def test_a_handled_request_offers_no_more_actions(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    request = SupportRequestFactory(platform=platform, status=RequestStatus.REDIRECTED, redirected_to="CMP")
    page = body(client.get(url(request)))
    assert "Suite à donner" not in page
    response = client.post(url(request), {"action": "contact"}, follow=True)
    assert "Cette demande est déjà orientée ailleurs." in body(response)


# ---- The platform's delay


def test_coordinators_set_the_delay_and_it_is_journaled(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    assert 'value="3"' in body(client.get("/accompagnement/reglages/"))

    response = client.post("/accompagnement/reglages/", {"first_contact_days": "5"})

    assert response.status_code == 302
    assert SupportSettings.objects.get(platform=platform).first_contact_days == 5
    entry = JournalEntry.objects.get(object_type="support.supportsettings")
    assert entry.fields == ["first_contact_days"]
    assert "sous 5 jours ouvrés" in body(Client().get("/demander-un-accompagnement/test-rhone/"))


@pytest.mark.parametrize("value", ["0", "31", "trois"])
def test_the_delay_stays_between_1_and_30_days(value: str, platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    response = client.post("/accompagnement/reglages/", {"first_contact_days": value})
    assert response.status_code == 200 and "Le formulaire contient des erreurs" in body(response)
    assert not SupportSettings.objects.exists()


def test_a_longer_delay_moves_a_request_back_on_time(platform: Platform, coordinator: tuple[Client, Any]) -> None:
    client, _membership = coordinator
    received(SupportRequestFactory(platform=platform, pseudonym="Aurore"), days_ago(8))
    assert "en retard de" in body(client.get(QUEUE))
    SupportSettings.objects.create(platform=platform, first_contact_days=30)
    page = body(client.get(QUEUE))
    assert "en retard de" not in page and "dans les délais" in page


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_at_once_open_one_record(platform: Platform, make_member: Any) -> None:
    request = SupportRequestFactory(platform=platform)
    users = [make_member(Role.COORDINATOR, platform).user for _index in range(2)]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def accept(user: Any) -> None:
        try:
            copy = SupportRequest.objects.get(pk=request.pk)
            barrier.wait()
            support_request_accept(request=None, support_request=copy, by=user)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert Person.objects.count() == 1
    assert SupportRequest.objects.get(pk=request.pk).person == Person.objects.get()
