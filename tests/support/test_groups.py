"""Support groups: one or two facilitators, capacity and waiting list (the first waiting moves up),
sessions and attendance, the public registration link (honeypot, rate limit, rotation)."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Group, GroupRegistration, MeetingMode, PersonStatus, RegistrationStatus
from pairs.support.services import groups as writes
from pairs.support.services.intake import PHONE_INVALID
from pairs.support.views.groups import person_context
from tests.conftest import login_client, platform_request
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.support.factories import GroupFactory, GroupSessionFactory, PersonFactory, PlaceFactory, person_of
from tests.support.test_notes import body, peer_client

REGISTERED, WAITING, CANCELLED = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


def text(response: Any) -> str:
    return html.unescape(body(response))


def coordinator_client(platform: Platform) -> Client:
    return login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))


def group_data(facilitators: list[PeerProfile], **extra: Any) -> dict[str, Any]:
    return {
        "theme": "Entendre des voix, en parler",
        "description": "Un temps d'échange entre pairs.",
        "facilitators": [p.pk for p in facilitators],
        "mode": MeetingMode.VIDEO,
        "place": "",
        "schedule": "Le 2e mardi du mois, 18 h",
        "capacity": 8,
        "active": "on",
        **extra,
    }


def statuses(group: Group) -> list[tuple[str, str]]:
    rows = GroupRegistration.objects.filter(group=group).select_related("person").order_by("created_at", "pk")
    return [(r.person.pseudonym if r.person else r.pseudonym, r.status) for r in rows]


# ---- The group


def test_a_coordinator_creates_a_group_with_one_or_two_facilitators(platform: Platform) -> None:
    client = coordinator_client(platform)
    a, b, c = (PeerProfileFactory.create(membership__platform=platform) for _ in range(3))
    assert "Créer un groupe" in text(client.get("/accompagnement/groupes/?nouveau=1"))
    none = text(client.post("/accompagnement/groupes/", group_data([])))
    assert "choisissez-en un ou deux" in none and "Entendre des voix, en parler" in none
    three = text(client.post("/accompagnement/groupes/", group_data([a, b, c])))
    assert "choisissez-en un ou deux" in three
    in_person = text(client.post("/accompagnement/groupes/", group_data([a], mode=MeetingMode.IN_PERSON)))
    assert "Pour un groupe en personne, choisissez un lieu." in in_person
    assert not Group.objects.exists()
    place = PlaceFactory(platform=platform)
    response = client.post("/accompagnement/groupes/", group_data([a, b], mode=MeetingMode.IN_PERSON, place=place.pk))
    group = Group.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accompagnement/groupes/{group.pk}/"
    assert set(group.facilitators.all()) == {a, b} and group.place == place and len(group.registration_token) >= 30
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="support.group").exists()


def test_a_facilitator_who_left_is_not_offered(platform: Platform) -> None:
    client = coordinator_client(platform)
    gone = PeerProfileFactory.create(membership__platform=platform, status_end=timezone.localdate() - timedelta(days=3))
    page = body(client.get("/accompagnement/groupes/?nouveau=1"))
    assert f'value="{gone.pk}"' not in page
    response = text(client.post("/accompagnement/groupes/", group_data([gone])))
    assert "Choisissez des pairs aidant·es de la plateforme." in response
    assert not Group.objects.exists()


def test_the_coordinator_edits_the_group_and_new_places_go_to_the_waiting_list(platform: Platform) -> None:
    client = coordinator_client(platform)
    group = GroupFactory(platform=platform, capacity=2, mode=MeetingMode.VIDEO)
    people = [PersonFactory(platform=platform, pseudonym=f"Pers{i}") for i in range(4)]
    for person in people:
        writes.registration_add(request=None, group=group, person=person)
    assert [s for _n, s in statuses(group)] == [REGISTERED, REGISTERED, WAITING, WAITING]
    facilitators = list(group.facilitators.all())
    page = body(client.get(f"/accompagnement/groupes/{group.pk}/?modifier=1"))
    assert 'name="action" value="edit"' in page
    response = client.post(
        f"/accompagnement/groupes/{group.pk}/", {"action": "edit", **group_data(facilitators, capacity=3)}
    )
    assert response.status_code == 302
    assert [s for _n, s in statuses(group)] == [REGISTERED, REGISTERED, REGISTERED, WAITING]
    group.refresh_from_db()
    assert group.capacity == 3 and group.theme == "Entendre des voix, en parler"


def test_peer_workers_see_the_groups_they_facilitate_only(platform: Platform) -> None:
    client, peer = peer_client(platform)
    mine = GroupFactory(platform=platform, facilitators=[peer], theme="Mon groupe")
    other = GroupFactory(platform=platform, theme="Autre groupe")
    page = text(client.get("/accompagnement/groupes/"))
    assert "Mon groupe" in page and "Autre groupe" not in page and "Créer un groupe" not in page
    assert client.get(f"/accompagnement/groupes/{mine.pk}/").status_code == 200
    assert client.get(f"/accompagnement/groupes/{other.pk}/").status_code == 404
    assert client.get(f"/accompagnement/groupes/{mine.pk}/?modifier=1").status_code == 403
    assert client.get("/accompagnement/groupes/?nouveau=1").status_code == 403
    assert client.post(f"/accompagnement/groupes/{mine.pk}/", {"action": "rotate"}).status_code == 403
    for role in (Role.PERSON, Role.PARTNER_CONTACT, Role.FUNDER):
        outsider = login_client(Client(), MembershipFactory(platform=platform, role=role))
        assert outsider.get("/accompagnement/groupes/").status_code == 403


# ---- Capacity, waiting list, promotion


def test_registration_beyond_capacity_goes_to_the_waiting_list_in_order(platform: Platform) -> None:
    client = coordinator_client(platform)
    group = GroupFactory(platform=platform, capacity=2)
    ana, ben, cleo, dan = (PersonFactory(platform=platform, pseudonym=n) for n in ("Ana", "Ben", "Cléo", "Dan"))
    url = f"/accompagnement/groupes/{group.pk}/"
    for person in (ana, ben, cleo, dan):
        response = client.post(url, {"action": "register", "person": person.pk})
        assert response.status_code == 302
    assert statuses(group) == [("Ana", REGISTERED), ("Ben", REGISTERED), ("Cléo", WAITING), ("Dan", WAITING)]
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert message[-1] == "Le groupe est complet : Dan est sur la liste d'attente."
    page = text(client.get(url))
    assert "2 inscrit·es sur 2" in page and "2 personnes en attente" in page
    assert page.index("Cléo") < page.index("Dan")
    again = text(client.post(url, {"action": "register", "person": ana.pk}))
    assert "Choisissez une personne de la liste." in again
    assert GroupRegistration.objects.filter(group=group).count() == 4


def test_unregistering_moves_the_first_waiting_up_and_tells_them(platform: Platform) -> None:
    client = coordinator_client(platform)
    group = GroupFactory.create(platform=platform, capacity=1, mode=MeetingMode.VIDEO)
    GroupSessionFactory(group=group)
    first = PersonFactory(platform=platform, pseudonym="Ana", email="ana@example.org")
    second = PersonFactory(platform=platform, pseudonym="Ben", email="ben@example.org")
    third = PersonFactory(platform=platform, pseudonym="Cléo", email="")
    held = writes.registration_add(request=None, group=group, person=first)
    writes.registration_add(request=None, group=group, person=second)
    writes.registration_add(request=None, group=group, person=third)
    response = client.post(f"/accompagnement/groupes/{group.pk}/", {"action": "unregister", "registration": held.pk})
    assert response.status_code == 302
    assert statuses(group) == [("Ana", CANCELLED), ("Ben", REGISTERED), ("Cléo", WAITING)]
    email = OutgoingEmail.objects.get(kind="support_group_place_free")
    assert email.to == "ben@example.org" and "Ben" in email.body
    assert group.theme not in email.subject + email.body
    ben = GroupRegistration.objects.get(person=second)
    writes.registration_cancel(request=None, registration=ben)
    assert statuses(group)[2] == ("Cléo", REGISTERED)
    assert OutgoingEmail.objects.filter(kind="support_group_place_free").count() == 1  # no address for Cléo
    assert JournalEntry.objects.filter(object_type="support.groupregistration", action=Action.UPDATE).count() == 4


def test_leaving_the_waiting_list_promotes_nobody(platform: Platform) -> None:
    group = GroupFactory(platform=platform, capacity=1)
    a, b, c = (PersonFactory(platform=platform) for _ in range(3))
    writes.registration_add(request=None, group=group, person=a)
    waiting = writes.registration_add(request=None, group=group, person=b)
    writes.registration_add(request=None, group=group, person=c)
    assert writes.registration_cancel(request=None, registration=waiting) == []
    assert [s for _n, s in statuses(group)] == [REGISTERED, CANCELLED, WAITING]


def test_a_peer_worker_registers_only_the_people_they_follow(platform: Platform) -> None:
    client, peer = peer_client(platform)
    group = GroupFactory(platform=platform, facilitators=[peer])
    mine = person_of(platform, peer=peer, pseudonym="Suivie")
    stranger = person_of(platform, pseudonym="Inconnue")
    closed = person_of(platform, peer=peer, pseudonym="Close", status=PersonStatus.CLOSED)
    page = body(client.get(f"/accompagnement/groupes/{group.pk}/"))
    assert f'value="{mine.pk}"' in page and f'value="{stranger.pk}"' not in page and f'value="{closed.pk}"' not in page
    client.post(f"/accompagnement/groupes/{group.pk}/", {"action": "register", "person": stranger.pk})
    client.post(f"/accompagnement/groupes/{group.pk}/", {"action": "register", "person": mine.pk})
    assert statuses(group) == [("Suivie", REGISTERED)]


def test_the_person_page_part_shows_registrations_and_waiting_position(platform: Platform) -> None:
    group = GroupFactory(platform=platform, capacity=1, theme="Groupe du jeudi")
    first, second, person = (PersonFactory(platform=platform) for _ in range(3))
    for p in (first, second, person):
        writes.registration_add(request=None, group=group, person=p)
    request = platform_request(coordinator_client(platform).get("/").wsgi_request)
    context = person_context(request, person)
    (registration,) = context["group_registrations"]
    assert registration.status == WAITING and registration.position == 2
    from django.template.loader import render_to_string

    page = html.unescape(render_to_string("support/_groups.html", context))
    assert "Groupe du jeudi" in page and "liste d'attente, position 2" in page


# ---- Sessions and attendance


def test_sessions_and_attendance(platform: Platform) -> None:
    client, peer = peer_client(platform)
    group = GroupFactory(platform=platform, facilitators=[peer], capacity=3)
    a, b = (PersonFactory(platform=platform, pseudonym=n) for n in ("Ana", "Ben"))
    ra = writes.registration_add(request=None, group=group, person=a)
    writes.registration_add(request=None, group=group, person=b)
    url = f"/accompagnement/groupes/{group.pk}/"
    start = (timezone.localtime() - timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
    response = client.post(
        url, {"action": "session", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 90}
    )
    assert response.status_code == 302
    session = group.sessions.get()
    assert timezone.localtime(session.starts_at) == start and session.duration_minutes == 90
    bad = text(client.post(url, {"action": "session", "starts_at": "", "duration_minutes": 5}))
    assert "Indiquez la date et l'heure." in bad and "La durée va de 15 à 480 minutes." in bad
    page = text(client.get(f"/accompagnement/seances/{session.pk}/"))
    assert "Ana" in page and "Ben" in page
    response = client.post(f"/accompagnement/seances/{session.pk}/", {"attendees": [ra.pk]})
    assert response.status_code == 302
    session.refresh_from_db()
    assert list(session.attendees.all()) == [ra] and session.held
    assert "1 présent·e" in text(client.get(url))
    other = writes.registration_add(request=None, group=GroupFactory(platform=platform), person=a)
    page = text(client.post(f"/accompagnement/seances/{session.pk}/", {"attendees": [other.pk]}))
    assert "Choisissez des personnes inscrites à ce groupe." in page


def test_a_future_session_cannot_be_marked_held(platform: Platform) -> None:
    client = coordinator_client(platform)
    session = GroupSessionFactory(group__platform=platform)
    page = text(client.post(f"/accompagnement/seances/{session.pk}/", {"held": "on"}))
    assert "Cette séance n'a pas encore eu lieu" in page
    session.refresh_from_db()
    assert not session.held


def test_attendance_is_for_coordinators_and_facilitators(platform: Platform, other_platform: Platform) -> None:
    session = GroupSessionFactory(group__platform=platform)
    client, _peer = peer_client(platform)
    assert client.get(f"/accompagnement/seances/{session.pk}/").status_code == 404
    foreign = GroupSessionFactory(group__platform=other_platform)
    assert coordinator_client(platform).get(f"/accompagnement/seances/{foreign.pk}/").status_code == 404


# ---- The public registration link


def register_url(group: Group) -> str:
    return f"/groupes/inscription/{group.registration_token}/"


def test_anyone_registers_from_the_link(platform: Platform) -> None:
    group = GroupFactory(platform=platform, capacity=1, theme="Groupe des proches")
    visitor = Client()
    page = text(visitor.get(register_url(group)))
    assert "S'inscrire au groupe « Groupe des proches »" in page and "3114" in page
    response = visitor.post(register_url(group), {"pseudonym": "Lou", "phone": "06.12.34.56.78", "website": ""})
    assert response.status_code == 302
    confirmation = text(visitor.get(response["Location"]))
    assert "Vous êtes inscrit·e." in confirmation
    assert "Lou" not in confirmation and "06 12" not in confirmation and "Groupe des proches" not in confirmation
    registration = GroupRegistration.objects.get()
    assert (registration.pseudonym, registration.phone, registration.status) == ("Lou", "06 12 34 56 78", REGISTERED)
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.groupregistration")
    assert entry.platform_id == platform.pk and "Lou" not in entry.detail
    response = Client().post(register_url(group), {"pseudonym": "Max", "email": "max@example.org"})
    confirmation = text(Client().get(response["Location"]))
    assert "sur liste d'attente, position 1" in confirmation and "Max" not in confirmation
    assert statuses(group) == [("Lou", REGISTERED), ("Max", WAITING)]


def test_the_public_form_refuses_bad_input_and_keeps_it(platform: Platform) -> None:
    group = GroupFactory(platform=platform)
    page = text(Client().post(register_url(group), {"pseudonym": "Lou", "phone": "12345"}))
    assert str(PHONE_INVALID) in page and 'value="Lou"' in page  # the public form's rule, shared
    page = text(Client().post(register_url(group), {"pseudonym": "Lou"}))
    assert "Indiquez un téléphone ou une adresse e-mail" in page
    page = text(Client().post(register_url(group), {"pseudonym": "", "email": "pas-une-adresse"}))
    assert "Indiquez un prénom ou un pseudonyme." in page and "Cette adresse e-mail ne semble pas valide." in page
    assert not GroupRegistration.objects.exists()


def test_the_honeypot_pretends_and_saves_nothing(platform: Platform) -> None:
    group = GroupFactory(platform=platform)
    response = Client().post(register_url(group), {"pseudonym": "Bot", "phone": "0612345678", "website": "x.example"})
    assert response.status_code == 302 and "Vous êtes inscrit·e." in text(Client().get(response["Location"]))
    assert not GroupRegistration.objects.exists()


def test_the_link_is_rate_limited(platform: Platform) -> None:
    group = GroupFactory(platform=platform, capacity=60)
    visitor = Client()
    codes = [
        visitor.post(register_url(group), {"pseudonym": f"P{i}", "phone": "0612345678"}).status_code for i in range(7)
    ]
    assert codes[:5] == [302] * 5 and codes[5:] == [429, 429]
    assert GroupRegistration.objects.count() == 5


def test_the_same_form_sent_twice_registers_once(platform: Platform) -> None:
    group = GroupFactory(platform=platform)
    for _ in range(2):
        Client().post(register_url(group), {"pseudonym": "Lou", "email": "lou@example.org"})
    assert GroupRegistration.objects.count() == 1


def test_a_new_link_replaces_the_old_one(platform: Platform) -> None:
    client = coordinator_client(platform)
    group = GroupFactory(platform=platform)
    old = register_url(group)
    page = body(client.get(f"/accompagnement/groupes/{group.pk}/"))
    assert old in page and "Copier le lien" in page and "Nouveau lien" in page
    client.post(f"/accompagnement/groupes/{group.pk}/", {"action": "rotate"})
    group.refresh_from_db()
    assert Client().get(old).status_code == 404
    assert Client().get(register_url(group)).status_code == 200
    assert Client().get("/groupes/inscription/inconnu/").status_code == 404


def test_closed_registrations_save_nothing(platform: Platform) -> None:
    group = GroupFactory(platform=platform, active=False)
    page = text(Client().get(register_url(group)))
    assert "Les inscriptions à ce groupe sont fermées" in page and 'name="pseudonym"' not in page
    Client().post(register_url(group), {"pseudonym": "Lou", "phone": "0612345678"})
    assert not GroupRegistration.objects.exists()


def test_a_signed_in_member_of_another_platform_can_use_the_link(platform: Platform, other_platform: Platform) -> None:
    group = GroupFactory(platform=platform)
    elsewhere = login_client(Client(), MembershipFactory(platform=other_platform, role=Role.PERSON))
    response = elsewhere.post(register_url(group), {"pseudonym": "Lou", "phone": "0612345678"})
    assert response.status_code == 302
    assert GroupRegistration.objects.get().group == group


def test_a_forged_confirmation_shows_the_form(platform: Platform) -> None:
    group = GroupFactory(platform=platform)
    page = text(Client().get(register_url(group) + "?confirmation=faux"))
    assert 'name="pseudonym"' in page and "Vous êtes inscrit·e." not in page


# ---- Constant queries


def test_the_group_list_does_not_grow_in_queries(platform: Platform, django_assert_max_num_queries: Any) -> None:
    client = coordinator_client(platform)

    def add(count: int) -> None:
        for _ in range(count):
            group = GroupFactory(
                platform=platform,
                facilitators=[PeerProfileFactory(membership__platform=platform) for _ in range(2)],
                place=PlaceFactory(platform=platform),
            )
            GroupSessionFactory(group=group)
            writes.registration_add(request=None, group=group, person=PersonFactory(platform=platform))

    add(1)
    with django_assert_max_num_queries(50) as small:
        assert client.get("/accompagnement/groupes/").status_code == 200
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/accompagnement/groupes/")
    assert "1 inscrit·e sur 8" in text(response)


def test_the_group_page_does_not_grow_in_queries(platform: Platform, django_assert_max_num_queries: Any) -> None:
    client = coordinator_client(platform)
    group = GroupFactory(platform=platform, capacity=3, place=PlaceFactory(platform=platform))

    def add(count: int) -> None:
        for _ in range(count):
            writes.registration_add(request=None, group=group, person=PersonFactory(platform=platform))
            writes.registration_add(request=None, group=group, pseudonym="Visiteur", phone="06 12 34 56 78")
            session = GroupSessionFactory(
                group=group, starts_at=timezone.now() - timedelta(days=len(group.sessions.all()) + 1)
            )
            session.attendees.set(group.registrations.all()[:1])
            PersonFactory(platform=platform)

    add(1)
    with django_assert_max_num_queries(60) as small:
        assert client.get(f"/accompagnement/groupes/{group.pk}/").status_code == 200
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/accompagnement/groupes/{group.pk}/").status_code == 200
