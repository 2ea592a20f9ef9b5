"""Individual impact measures: recorded with the peer worker or by the person in their space, scored
by the engine, scoped to the people a peer worker follows, refused for a future date or a closed
record; the person's own chart; the change across people, aggregated in SQL and hidden below the
anonymity threshold; query counts that do not grow with rows."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.observatory.engine import Definition, score_answers
from pairs.observatory.models import ImpactMeasure, Instrument, Licence, MeasureFiller, ObservatorySettings
from pairs.observatory.selectors.measures import add_months, measure_choices
from pairs.observatory.services.measures import MEASURE_FIELDS, measure_record
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Person, PersonStatus
from tests.conftest import login_client
from tests.factories import MembershipFactory
from tests.observatory.factories import HOPE_INSTRUMENT, SHORT_INSTRUMENT, demo_instrument
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import person_of

IMPACT = "/observatoire/mesures/"
MINE = "/mon-accompagnement/mesures/"
MINE_ADD = "/mon-accompagnement/mesures/nouvelle/"
HOPE_ITEMS = [f"e{i}" for i in range(1, 11)]
LONG_AGO = date(2024, 1, 8)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def page_url(person: Person) -> str:
    return reverse("observatory:person_measures", kwargs={"person_id": person.pk})


def add_url(person: Person) -> str:
    return reverse("observatory:person_measure_add", kwargs={"person_id": person.pk})


def peer_client(platform: Platform) -> tuple[Client, PeerProfile]:
    profile = PeerProfileFactory(membership__platform=platform)
    return login_client(Client(), profile.membership), profile


def followed(platform: Platform, **kwargs: Any) -> tuple[Client, Person]:
    """A signed-in peer worker and a person they are the referent of (support opened long ago)."""
    client, profile = peer_client(platform)
    kwargs.setdefault("opened_on", LONG_AGO)
    return client, person_of(platform, peer=profile, **kwargs)


def own_client(platform: Platform, **kwargs: Any) -> tuple[Client, Person]:
    """A signed-in person (role "person") whose account is linked to their record."""
    membership = MembershipFactory(platform=platform, role=Role.PERSON)
    kwargs.setdefault("opened_on", LONG_AGO)
    return login_client(Client(), membership), person_of(platform, membership=membership, **kwargs)


def hope(platform: Platform) -> Instrument:
    return demo_instrument(platform, HOPE_INSTRUMENT)


def uniform_hope(value: int) -> dict[str, int | str]:
    return dict.fromkeys(HOPE_ITEMS, value)


def measure(
    person: Person,
    instrument: Instrument,
    answers: dict[str, int | str],
    on: date,
    filled_by: str = MeasureFiller.WITH_PEER,
) -> ImpactMeasure:
    return measure_record(
        request=None,
        person=person,
        instrument=instrument,
        perspective="personne",
        answers=answers,
        measured_on=on,
        filled_by=filled_by,
        by=None,
    )


def post_data(instrument: Instrument, answers: dict[str, int | str], on: date) -> dict[str, str]:
    data = {"questionnaire": f"{instrument.pk}:personne", "measured_on": on.isoformat()}
    data.update({f"item_{key}": str(value) for key, value in answers.items()})
    return data


def flash(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# A hand-computed example of the demo hope scale (10 items answered 1 to 4, e5 and e8 reverse-scored,
# a sum needing 8 answers, prorated to 10 items when some are missing). e10 is left blank:
#   e1 4, e2 3, e3 3, e4 2, e5 1 → 4 + 1 − 1 = 4 (reverse), e6 4, e7 3, e8 2 → 5 − 2 = 3 (reverse), e9 4
#   valid values: 4 + 3 + 3 + 2 + 4 + 4 + 3 + 3 + 4 = 30 over 9 answers
#   prorated sum: 30 / 9 × 10 = 100 / 3 = 33.33…, shown « 33,3 »
HAND_ANSWERS: dict[str, int | str] = {"e1": 4, "e2": 3, "e3": 3, "e4": 2, "e5": 1, "e6": 4, "e7": 3, "e8": 2, "e9": 4}
HAND_SCORE = 100 / 3


# ---- Recording with the peer worker


def test_the_peer_worker_records_a_measure_scored_by_the_engine(platform: Platform) -> None:
    client, person = followed(platform, pseudonym="Noor")
    instrument = hope(platform)
    step_one = client.get(add_url(person))
    assert step_one.status_code == 200
    assert "Afficher les questions" in text(step_one)
    assert "Échelle d'espoir (démonstration — non validé) — Personne accompagnée" in text(step_one)
    step_two = client.get(add_url(person), {"questionnaire": f"{instrument.pk}:personne"})
    assert "Je peux imaginer ma vie dans un an avec des choses qui me plaisent." in text(step_two)
    assert f'value="{timezone.localdate().isoformat()}"' in text(step_two)  # the date defaults to today

    response = client.post(add_url(person), post_data(instrument, HAND_ANSWERS, timezone.localdate()))

    assert response.status_code == 302
    assert response.url == page_url(person)
    assert flash(response) == ["Mesure enregistrée."]
    saved = ImpactMeasure.objects.get(person=person)
    assert person.peer is not None
    assert saved.filled_by == MeasureFiller.WITH_PEER
    assert saved.platform_id == platform.pk
    assert saved.perspective == "personne"
    assert saved.measured_on == timezone.localdate()
    assert saved.entered_by == person.peer.membership.user
    assert saved.answers == HAND_ANSWERS
    assert saved.values["e5"] == 4 and saved.values["e8"] == 3 and saved.values["e10"] is None
    engine = score_answers(Definition.from_dict(instrument.definition), "personne", HAND_ANSWERS)
    assert saved.scores == engine == {"total": pytest.approx(HAND_SCORE)}
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="observatory.impactmeasure")
    assert entry.object_id == str(saved.pk)
    assert entry.fields == sorted(MEASURE_FIELDS)  # field names only, never the answers
    assert entry.actor == person.peer.membership.user
    assert entry.platform == platform

    page = client.get(page_url(person))
    assert page.status_code == 200
    body = text(page)
    assert "<h1>Mesures d'impact — Noor</h1>" in body
    assert "33,3" in body
    assert "La personne avec son ou sa pair aidant·e" in body
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="support.person", object_id=str(person.pk)
    ).exists()


def test_an_unknown_questionnaire_asks_to_choose_again(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    response = client.get(add_url(person), {"questionnaire": f"{instrument.pk}:proches"})
    assert response.status_code == 200
    assert "Choisissez un des questionnaires proposés." in text(response)
    assert "Afficher les questions" in text(response)
    tampered = post_data(instrument, uniform_hope(3), timezone.localdate()) | {"questionnaire": "0:personne"}
    response = client.post(add_url(person), tampered)
    assert response.status_code == 200
    assert "Choisissez un des questionnaires proposés." in text(response)
    assert not ImpactMeasure.objects.exists()


def test_a_measure_sent_twice_is_recorded_once(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    data = post_data(instrument, uniform_hope(3), timezone.localdate())
    client.post(add_url(person), data)
    client.post(add_url(person), data)
    assert ImpactMeasure.objects.filter(person=person).count() == 1


def test_another_peer_worker_or_another_platform_gets_404(platform: Platform, other_platform: Platform) -> None:
    _client, person = followed(platform)
    hope(platform)
    stranger, _profile = peer_client(platform)
    assert stranger.get(page_url(person)).status_code == 404
    assert stranger.get(add_url(person)).status_code == 404
    assert stranger.post(add_url(person), {}).status_code == 404
    elsewhere = person_of(other_platform)
    coordinator = login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))
    assert coordinator.get(page_url(elsewhere)).status_code == 404
    assert coordinator.get(add_url(elsewhere)).status_code == 404
    assert not ImpactMeasure.objects.exists()


def test_the_coordinator_records_and_reads_a_measure(platform: Platform) -> None:
    _client, person = followed(platform, pseudonym="Sacha")
    instrument = hope(platform)
    membership = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    coordinator = login_client(Client(), membership)
    response = coordinator.post(add_url(person), post_data(instrument, uniform_hope(3), timezone.localdate()))
    assert response.status_code == 302
    assert ImpactMeasure.objects.get(person=person).entered_by == membership.user
    page = coordinator.get(page_url(person))
    assert page.status_code == 200
    assert "Mesures d'impact — Sacha" in text(page)
    assert "28" in text(page)  # uniform 3: 8 × 3 + 2 × (5 − 3) = 28


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.FUNDER, Role.PERSON])
def test_other_roles_are_refused_the_person_pages(platform: Platform, client_as: Any, role: Role) -> None:
    _client, person = followed(platform)
    client, _membership = client_as(role, platform)
    assert client.get(page_url(person)).status_code == 403
    assert client.get(add_url(person)).status_code == 403


# ---- Refusals


def test_a_future_date_is_refused_and_the_answers_are_kept(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(add_url(person), post_data(instrument, HAND_ANSWERS, tomorrow))
    assert response.status_code == 200
    body = text(response)
    assert "La date de la mesure ne peut pas être dans le futur." in body
    assert re.search(r'<input[^>]*name="item_e1"[^>]*value="4"[^>]*checked', body)
    assert re.search(r'<input[^>]*name="item_e8"[^>]*value="2"[^>]*checked', body)
    assert f'value="{tomorrow.isoformat()}"' in body
    assert not ImpactMeasure.objects.exists()


def test_a_date_before_the_support_began_is_refused(platform: Platform) -> None:
    client, person = followed(platform, opened_on=timezone.localdate() - timedelta(days=10))
    instrument = hope(platform)
    response = client.post(
        add_url(person), post_data(instrument, uniform_hope(2), timezone.localdate() - timedelta(days=11))
    )
    assert response.status_code == 200
    assert "La date de la mesure ne peut pas précéder le début de l'accompagnement" in text(response)
    assert not ImpactMeasure.objects.exists()


def test_nothing_answered_is_refused(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    response = client.post(add_url(person), post_data(instrument, {}, timezone.localdate()))
    assert response.status_code == 200
    assert "Répondez à au moins une question avant d'envoyer." in text(response)
    with pytest.raises(ValidationError):
        measure(person, instrument, {}, timezone.localdate())
    assert not ImpactMeasure.objects.exists()


def test_a_closed_record_takes_no_new_measure(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    Person.objects.filter(pk=person.pk).update(status=PersonStatus.CLOSED, closed_on=timezone.localdate())
    person.refresh_from_db()
    message = "L'accompagnement est clos : on ne peut plus ajouter de mesure."
    with pytest.raises(ValidationError) as refused:
        measure(person, instrument, uniform_hope(3), timezone.localdate())
    assert refused.value.messages == [message]
    response = client.post(add_url(person), post_data(instrument, uniform_hope(3), timezone.localdate()))
    assert response.status_code == 200
    assert message in text(response)
    shown = client.get(add_url(person))
    assert shown.status_code == 302 and flash(shown) == [message]
    page = text(client.get(page_url(person)))
    assert message in page
    assert "Nouvelle mesure avec la personne" not in page
    assert not ImpactMeasure.objects.exists()


def test_only_usable_active_instruments_are_offered(platform: Platform, other_platform: Platform) -> None:
    _client, person = followed(platform)
    instrument = hope(platform)
    short = demo_instrument(platform, SHORT_INSTRUMENT)
    Instrument.objects.filter(pk=short.pk).update(licence=Licence.PERMISSION)
    short.refresh_from_db()
    assert [choice.value for choice in measure_choices(platform)] == [f"{instrument.pk}:personne"]
    with pytest.raises(ValidationError) as refused:
        measure(person, short, dict.fromkeys([f"b{i}" for i in range(1, 8)], 3), timezone.localdate())
    assert "demande une autorisation de ses auteurs" in refused.value.messages[0]
    Instrument.objects.filter(pk=instrument.pk).update(active=False)
    instrument.refresh_from_db()
    assert measure_choices(platform) == []
    with pytest.raises(ValidationError, match="n'est plus proposé"):
        measure(person, instrument, uniform_hope(3), timezone.localdate())
    foreign = hope(other_platform)
    with pytest.raises(ValidationError, match="n'est pas celui de la plateforme"):
        measure(person, foreign, uniform_hope(3), timezone.localdate())
    assert not ImpactMeasure.objects.exists()


# ---- The chart and the next measure


def test_the_chart_and_its_table_show_every_measure_and_the_next_date(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    today = timezone.localdate()
    first_on, last_on = add_months(today, -14), add_months(today, -7)
    measure(person, instrument, uniform_hope(2), first_on)  # 8 × 2 + 2 × 3 = 22
    measure(person, instrument, {"e1": 4, "e2": 4}, add_months(today, -10))  # 2 answers of 8 needed: not computed
    measure(person, instrument, uniform_hope(4), last_on, MeasureFiller.PERSON)  # 8 × 4 + 2 × 1 = 34
    body = text(client.get(page_url(person)))
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="(\S+)-title \1-desc"', body)
    assert "<title id=" in body and "<desc id=" in body
    assert "Évolution des scores : Échelle d'espoir (démonstration — non validé)" in body
    assert "Espoir : 22 le" in body and "34 le" in body
    assert "<caption" in body and 'scope="col"' in body
    assert "non calculé" in body
    assert "La personne, dans son espace" in body
    next_on = add_months(last_on, 6)
    assert ObservatorySettings(platform=platform).measure_interval_months == 6
    assert "Proposée le" in body
    assert "à faire" in body  # last measure 7 months ago, the rhythm is 6 months
    assert next_on <= today


def test_the_next_measure_is_not_due_yet(platform: Platform) -> None:
    client, person = followed(platform)
    measure(person, hope(platform), uniform_hope(3), timezone.localdate() - timedelta(days=30))
    body = text(client.get(page_url(person)))
    assert "Proposée le" in body
    assert "à faire" not in body


def test_the_person_page_does_not_grow_in_queries_with_measures(platform: Platform) -> None:
    client, person = followed(platform)
    instrument = hope(platform)
    short = demo_instrument(platform, SHORT_INSTRUMENT)
    today = timezone.localdate()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url(person)).status_code == 200
        return len(captured.captured_queries)

    measure(person, instrument, uniform_hope(2), today - timedelta(days=400))
    measure(person, short, dict.fromkeys([f"b{i}" for i in range(1, 8)], 3), today - timedelta(days=300))
    small = count()
    for day in range(8):
        measure(person, instrument if day % 2 else short, _answers(day % 2), today - timedelta(days=200 - day * 20))
    assert ImpactMeasure.objects.filter(person=person).count() == 10
    assert count() == small


def _answers(hope_scale: int) -> dict[str, int | str]:
    return uniform_hope(3) if hope_scale else dict.fromkeys([f"b{i}" for i in range(1, 8)], 4)


def test_the_blocks_for_the_support_pages(platform: Platform, rf: Any) -> None:
    _client, person = followed(platform, pseudonym="Inès")
    instrument = hope(platform)
    measure(person, instrument, uniform_hope(2), date(2025, 3, 4))
    measure(person, instrument, uniform_hope(3), date(2025, 9, 10))
    person = Person.objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as captured:
        block = html.unescape(render_to_string("observatory/_person_measures.html", {"person": person}))
    assert len(captured.captured_queries) <= 1
    assert "2 mesures ; la dernière le 10 septembre 2025." in block
    assert page_url(person) in block
    card = render_to_string("observatory/_my_measures_card.html", {"person": person})
    assert MINE in card


# ---- The person's own space


def test_the_person_fills_in_a_measure_and_sees_only_their_own(platform: Platform) -> None:
    client, person = own_client(platform)
    instrument = hope(platform)
    other = person_of(platform, pseudonym="Bastien", opened_on=LONG_AGO)
    measure(other, instrument, uniform_hope(1), date(2025, 2, 3))  # 8 × 1 + 2 × 4 = 16
    page = client.get(MINE)
    assert page.status_code == 200
    body = text(page)
    assert "<h1>Mes mesures</h1>" in body
    assert (
        "Ces questionnaires vous aident à voir votre chemin. Vos réponses sont à vous ; votre pair aidant·e les "
        "voit avec vous. Elles ne servent aux statistiques de la plateforme que mélangées à celles d'au moins "
        "5 personnes, sans votre nom."
    ) in body
    assert "Remplir un questionnaire" in body
    assert client.get(MINE_ADD, {"questionnaire": f"{instrument.pk}:personne"}).status_code == 200

    response = client.post(MINE_ADD, post_data(instrument, uniform_hope(4), timezone.localdate()))

    assert response.status_code == 302 and response.url == MINE
    assert flash(response) == ["Merci, votre mesure est enregistrée."]
    saved = ImpactMeasure.objects.get(person=person)
    assert saved.filled_by == MeasureFiller.PERSON
    assert person.membership is not None
    assert saved.entered_by == person.membership.user
    assert saved.scores == {"total": 34.0}
    body = text(client.get(MINE))
    assert "34" in body
    assert "Vous, dans votre espace" in body
    assert "3 février 2025" not in body and "3 févr. 2025" not in body  # the other person's measure
    assert "Bastien" not in body


def test_a_person_without_a_record_gets_a_kind_page(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.PERSON, platform)
    for url in (MINE, MINE_ADD):
        response = client.get(url)
        assert response.status_code == 200
        assert "Votre espace n'est pas encore relié à un accompagnement." in text(response)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.FUNDER])
def test_only_the_person_reaches_their_measures(platform: Platform, client_as: Any, role: Role) -> None:
    client, _membership = client_as(role, platform)
    assert client.get(MINE).status_code == 403
    assert client.get(MINE_ADD).status_code == 403


# ---- The change across people


def _cohort(platform: Platform, instrument: Instrument, size: int, *, big_change: int = 2) -> list[Person]:
    """``size`` people measured twice: first all answers 2 (score 22), then all 3 (28) for most of
    them and all 4 (34) for the last ``big_change`` ones."""
    people = []
    for index in range(size):
        person = person_of(platform, pseudonym=f"Cohorte{index}", opened_on=LONG_AGO)
        measure(person, instrument, uniform_hope(2), date(2025, 1, 6))
        measure(person, instrument, uniform_hope(4 if index >= size - big_change else 3), date(2025, 7, 7))
        people.append(person)
    return people


@pytest.mark.parametrize("role", [Role.FUNDER, Role.COORDINATOR])
def test_the_aggregate_is_hidden_below_the_threshold(platform: Platform, client_as: Any, role: Role) -> None:
    instrument = hope(platform)
    people = _cohort(platform, instrument, 4)
    client, _membership = client_as(role, platform)
    response = client.get(IMPACT)
    assert response.status_code == 200
    body = text(response)
    assert "Moins de 5 personnes avec deux mesures : pas de résultat affiché, pour protéger l'anonymat." in body
    assert "moins de 5" in body
    rows = re.search(r"<tbody>(.*?)</tbody>", body, flags=re.S)
    assert rows is not None
    for hidden in ("22", "28", "34", "30,4", "8,4"):
        assert hidden not in rows.group(1)
    assert all(person.pseudonym not in body for person in people)


@pytest.mark.parametrize("role", [Role.FUNDER, Role.COORDINATOR])
def test_the_aggregate_is_shown_from_the_threshold(platform: Platform, client_as: Any, role: Role) -> None:
    instrument = hope(platform)
    people = _cohort(platform, instrument, 5)
    client, _membership = client_as(role, platform)
    body = text(client.get(IMPACT))
    # Per person, latest − first: 28 − 22 = 6 (three people), 34 − 22 = 12 (two people).
    # Mean change (6 + 6 + 6 + 12 + 12) / 5 = 8.4; mean first 22; mean latest (3 × 28 + 2 × 34) / 5 = 30.4.
    # Sample variance ((3 × 2.4²) + (2 × 3.6²)) / 4 = 43.2 / 4 = 10.8, sd = 3.286;
    # 95 % interval 8.4 ± t(4) 2.776 × 3.286 / √5 = 8.4 ± 4.08 → 4.3 to 12.5.
    row = re.search(r"<th scope=\"row\">Espoir</th>(.*?)</tr>", body, flags=re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]
    assert cells == ["5", "22", "30,4", "+8,4", "de 4,3 à 12,5"]
    assert "Moins de 5 personnes avec deux mesures" not in body
    assert "5 personnes ont au moins une mesure" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "pas une étude contrôlée" in body
    assert all(person.pseudonym not in body for person in people)


def test_people_with_a_single_measure_do_not_count_in_the_change(platform: Platform, client_as: Any) -> None:
    instrument = hope(platform)
    _cohort(platform, instrument, 5)
    for index in range(3):  # measured once: counted among people with a measure, not in the change
        single = person_of(platform, opened_on=LONG_AGO)
        measure(single, instrument, uniform_hope(1), date(2025, 3, 3 + index))
    client, _membership = client_as(Role.FUNDER, platform)
    body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(client.get(IMPACT))))
    assert "8 personnes ont au moins une mesure" in body
    assert "Espoir 5 22 30,4 +8,4" in body


def test_partner_contacts_and_peer_workers_do_not_see_the_aggregate(platform: Platform, client_as: Any) -> None:
    for role in (Role.PARTNER_CONTACT, Role.PEER_WORKER, Role.PERSON):
        client, _membership = client_as(role, platform)
        assert client.get(IMPACT).status_code == 403


def test_the_aggregate_does_not_grow_in_queries_with_people(platform: Platform, client_as: Any) -> None:
    instrument = hope(platform)
    short = demo_instrument(platform, SHORT_INSTRUMENT)
    client, _membership = client_as(Role.COORDINATOR, platform)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(IMPACT).status_code == 200
        return len(captured.captured_queries)

    _cohort(platform, instrument, 5)
    single = person_of(platform, opened_on=LONG_AGO)
    measure(single, short, dict.fromkeys([f"b{i}" for i in range(1, 8)], 3), date(2025, 2, 2))
    small = count()
    _cohort(platform, instrument, 15)
    assert ImpactMeasure.objects.values("person").distinct().count() == 21
    assert count() == small
