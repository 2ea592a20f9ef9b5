"""Registration without an account on an event's page: the personal link, the e-mail, one registration
per address, the waiting list when full, past and cancelled events closed, unlimited capacity, the
honeypot and the rate limit, walk-ins, and ten registrations at the same moment never overbooking."""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.utils import timezone

from pairs.events.models import EventStatus, Registration, RegistrationStatus, Visibility
from pairs.events.services import registrations as writes
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import MembershipFactory, UserFactory, commune
from tests.peers.factories import PeerProfileFactory

CONFIRMED, WAITING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING
DUPLICATE = "Vous êtes déjà inscrit·e à cet événement avec cette adresse."
VIDEO = "https://visio.exemple.test/salle-fictive"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def page_url(event: Any) -> str:
    return f"/e/{event.token}/"


def data(**extra: Any) -> dict[str, str]:
    return {"name": "Camille Exemple", "email": "camille@exemple.test", "organisation": "", "website": "", **extra}


def test_anyone_registers_and_gets_their_personal_link(platform: Platform) -> None:
    event = EventFactory(
        platform=platform, capacity=3, title="Découvrir la pair-aidance", video_link=VIDEO, commune=commune()
    )
    trainer = PeerProfileFactory(membership__platform=platform, membership__user=UserFactory(first_name="Maëlle"))
    event.trainers.add(trainer)
    visitor = Client()

    page = text(visitor.get(page_url(event)))
    assert "Découvrir la pair-aidance" in page and "Villefranche-sur-Saône" in page
    assert "3 places restantes" in page and "M'inscrire" in page and "liste d'attente" not in page
    assert "Maëlle" in page and trainer.membership.user.last_name not in page
    assert VIDEO not in page  # the video link is for the people registered only

    response = visitor.post(page_url(event), data(organisation="GEM fictif"))
    registration = Registration.objects.get()
    assert response.status_code == 303 and response["Location"] == f"/inscription/{registration.token}/"
    assert (registration.status, registration.platform, registration.name, registration.organisation) == (
        CONFIRMED,
        platform,
        "Camille Exemple",
        "GEM fictif",
    )
    assert len(registration.token) >= 32

    email = OutgoingEmail.objects.get(to="camille@exemple.test")
    assert email.subject == "Inscription confirmée : Découvrir la pair-aidance"
    assert f"/inscription/{registration.token}/" in email.body and VIDEO in email.body
    assert "Villefranche-sur-Saône" in email.body and "Bonjour Camille Exemple" in email.body

    personal = visitor.get(response["Location"])
    page = text(personal)
    assert "Vous êtes inscrit·e. Un e-mail de confirmation vous est envoyé" in page
    assert VIDEO in page and "Me désinscrire" in page
    assert "no-store" in personal["Cache-Control"]

    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="events.registration")
    assert entry.platform_id == platform.pk and "camille" not in " ".join(entry.fields) + entry.detail
    assert "2 places restantes" in text(Client().get(page_url(event)))


def test_bad_input_is_refused_in_french_and_kept(platform: Platform) -> None:
    event = EventFactory(platform=platform)
    response = Client().post(page_url(event), data(name="", email="pas-une-adresse", organisation="GEM fictif"))
    page = text(response)
    assert response.status_code == 200
    assert "Indiquez votre prénom et votre nom." in page and "Cette adresse e-mail ne semble pas valide." in page
    assert 'value="pas-une-adresse"' in page and 'value="GEM fictif"' in page
    page = text(Client().post(page_url(event), data(email="")))
    assert "Indiquez une adresse e-mail" in page and 'value="Camille Exemple"' in page
    assert not Registration.objects.exists() and not OutgoingEmail.objects.exists()


def test_the_same_address_registers_once(platform: Platform) -> None:
    event = EventFactory(platform=platform)
    assert Client().post(page_url(event), data()).status_code == 303
    response = Client().post(page_url(event), data(name="Camille E.", email="Camille@Exemple.TEST"))
    assert response.status_code == 200 and DUPLICATE in text(response)
    assert 'value="Camille E."' in text(response)
    assert Registration.objects.count() == 1
    # Once cancelled, the address may register again.
    registration = Registration.objects.get()
    writes.registration_cancel(request=None, registration=registration, by_staff=False)
    assert Client().post(page_url(event), data()).status_code == 303
    assert Registration.objects.filter(status=CONFIRMED).count() == 1


def test_a_full_event_puts_people_on_the_waiting_list(platform: Platform) -> None:
    event = EventFactory(platform=platform, capacity=1, title="Sensibilisation fictive")
    RegistrationFactory(event=event, status=CONFIRMED)
    page = text(Client().get(page_url(event)))
    assert "Complet — liste d'attente" in page and "M'inscrire sur la liste d'attente" in page
    assert "L'événement est complet. Vous pouvez vous inscrire sur la liste d'attente" in page

    visitor = Client()
    response = visitor.post(page_url(event), data())
    registration = Registration.objects.get(email="camille@exemple.test")
    assert response.status_code == 303 and registration.status == WAITING
    page = text(visitor.get(response["Location"]))
    assert "vous êtes sur la liste d'attente, en position 1" in page
    assert "Vous êtes sur la liste d'attente, en position 1." in page and "Me désinscrire" in page
    email = OutgoingEmail.objects.get(to="camille@exemple.test")
    assert email.subject == "Liste d'attente : Sensibilisation fictive"
    assert "en position 1" in email.body and f"/inscription/{registration.token}/" in email.body
    second = writes.registration_add(request=None, event=event, name="Alex", email="alex@exemple.test", organisation="")
    assert second.status == WAITING and "en position 2" in OutgoingEmail.objects.get(to="alex@exemple.test").body


def test_a_past_event_is_closed(platform: Platform) -> None:
    start = timezone.now() - timedelta(days=1)
    event = EventFactory(platform=platform, starts_at=start, ends_at=start + timedelta(hours=2))
    page = text(Client().get(page_url(event)))
    assert "Cet événement est passé : les inscriptions sont closes." in page and 'name="email"' not in page
    assert Client().post(page_url(event), data()).status_code == 200
    with pytest.raises(ValidationError) as error:
        writes.registration_add(request=None, event=event, name="Alex", email="alex@exemple.test", organisation="")
    assert error.value.messages == ["Cet événement est passé : les inscriptions sont closes."]
    assert not Registration.objects.exists()


def test_a_cancelled_event_is_closed(platform: Platform) -> None:
    event = EventFactory(platform=platform, status=EventStatus.CANCELLED)
    page = text(Client().get(page_url(event)))
    assert "Cet événement est annulé." in page and 'name="email"' not in page
    Client().post(page_url(event), data())
    with pytest.raises(ValidationError) as error:
        writes.registration_add(request=None, event=event, name="Alex", email="alex@exemple.test", organisation="")
    assert error.value.messages == ["Cet événement est annulé : les inscriptions sont closes."]
    assert not Registration.objects.exists()


def test_no_capacity_means_unlimited(platform: Platform) -> None:
    event = EventFactory(platform=platform, capacity=None)
    for number in range(15):
        writes.registration_add(
            request=None, event=event, name=f"Personne {number}", email=f"p{number}@exemple.test", organisation=""
        )
    assert set(Registration.objects.values_list("status", flat=True)) == {CONFIRMED}
    page = text(Client().get(page_url(event)))
    assert "Inscription ouverte" in page and "M'inscrire" in page and "liste d'attente" not in page


def test_walk_ins_take_no_capacity_check_and_may_have_no_email(platform: Platform) -> None:
    start = timezone.now() - timedelta(minutes=30)  # at the door, the event has begun
    event = EventFactory(platform=platform, capacity=1, starts_at=start, ends_at=start + timedelta(hours=2))
    RegistrationFactory(event=event, status=CONFIRMED)
    walk_in = writes.registration_add(
        request=None, event=event, name="Dominique", email="", organisation="CMP fictif", walk_in=True
    )
    assert (walk_in.status, walk_in.walk_in, walk_in.email) == (CONFIRMED, True, "")
    assert not OutgoingEmail.objects.exists()
    with pytest.raises(ValidationError) as error:
        writes.registration_add(request=None, event=event, name="", email="", organisation="", walk_in=True)
    assert error.value.message_dict == {"name": ["Indiquez votre prénom et votre nom."]}


def test_the_honeypot_pretends_and_saves_nothing(platform: Platform) -> None:
    event = EventFactory(platform=platform)
    response = Client().post(page_url(event), data(website="https://robot.example"))
    assert response.status_code == 303 and response["Location"] == page_url(event)
    assert not Registration.objects.exists() and not OutgoingEmail.objects.exists()


def test_registration_is_rate_limited(platform: Platform) -> None:
    event = EventFactory(platform=platform, capacity=None)
    visitor = Client()
    codes = [visitor.post(page_url(event), data(email=f"p{n}@exemple.test")).status_code for n in range(12)]
    assert codes[:10] == [303] * 10 and codes[10:] == [429, 429]
    assert Registration.objects.count() == 10


def test_unknown_links_answer_404(platform: Platform) -> None:
    assert Client().get("/e/inconnu/").status_code == 404
    assert Client().get("/inscription/inconnu/").status_code == 404
    assert Client().get("/e/" + "x" * 80 + "/").status_code == 404


def test_a_link_opens_a_partners_event_signed_out_and_from_another_platform(
    platform: Platform, other_platform: Platform
) -> None:
    event = EventFactory(platform=platform, visibility=Visibility.PARTNERS, title="Formation des partenaires fictive")
    assert "Formation des partenaires fictive" in text(Client().get(page_url(event)))
    elsewhere = login_client(Client(), MembershipFactory(platform=other_platform, role=Role.COORDINATOR))
    assert "Formation des partenaires fictive" in text(elsewhere.get(page_url(event)))
    response = elsewhere.post(page_url(event), data())
    assert response.status_code == 303
    registration = Registration.objects.get()
    assert registration.event == event and registration.platform == platform
    assert "Vous êtes inscrit·e." in text(elsewhere.get(response["Location"]))


@pytest.mark.parametrize("attempts", [10])
def test_ten_registrations_at_once_never_overbook(attempts: int, transactional_db: Any, platform: Platform) -> None:
    event = EventFactory(platform=platform, capacity=3)
    barrier = threading.Barrier(attempts)
    errors: list[BaseException] = []

    def register(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            writes.registration_add(
                request=None, event=event, name=f"Personne {number}", email=f"p{number}@exemple.test", organisation=""
            )
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert sorted(statuses) == [CONFIRMED] * 3 + [WAITING] * 7
    assert OutgoingEmail.objects.count() == attempts
