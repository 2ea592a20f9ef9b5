"""The coordination's events and training programmes: creating and changing an event (French messages,
what was typed kept, nothing saved half-way), cancelling it (everyone registered is told), the
registrations table, programmes with their sessions and each participant's completion, the peer
worker's own events, access (coordinators only, another platform's objects 404) and query counts."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pairs.events.models import (
    Event,
    EventStatus,
    Kind,
    Programme,
    Registration,
    RegistrationStatus,
    Visibility,
)
from pairs.events.selectors import manage as reads
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import PeerProfile
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import DeploymentFactory
from tests.events.factories import CircleMemberFactory, EventFactory, ProgrammeFactory, RegistrationFactory
from tests.factories import MembershipFactory
from tests.observatory.factories import demo_instrument
from tests.partners.factories import OrganisationFactory
from tests.peers.factories import PeerProfileFactory

CONFIRMED, WAITING, OFFERED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
    RegistrationStatus.CANCELLED,
)
LIST, CREATE, PROGRAMMES, PROGRAMME_CREATE, MINE = (
    "/evenements/",
    "/evenements/nouveau/",
    "/evenements/programmes/",
    "/evenements/programmes/nouveau/",
    "/mes-animations/",
)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def coordinator_client(platform: Platform) -> Client:
    return login_client(Client(), MembershipFactory(platform=platform, role=Role.COORDINATOR))


def peer_client(platform: Platform) -> tuple[Client, PeerProfile]:
    profile = PeerProfileFactory(membership__platform=platform)
    return login_client(Client(), profile.membership), profile


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def in_days(days: int, hour: int = 14) -> datetime:
    day = timezone.localtime(timezone.now() + timedelta(days=days))
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def event_data(**extra: Any) -> dict[str, Any]:
    start = in_days(10)
    return {
        "kind": Kind.INFO_SESSION,
        "title": "Découvrir le métier de pair aidant·e",
        "description": "Une réunion pour comprendre le métier.",
        "audience": "Tout public",
        "place": "12 rue de l'Exemple",
        "commune": "",
        "video_link": "",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=2)),
        "capacity": "12",
        "visibility": Visibility.PUBLIC,
        "organisation": "",
        "deployment": "",
        "programme": "",
        "feedback_instrument": "",
        "beliefs_instrument": "",
        **extra,
    }


def detail_url(event: Event) -> str:
    return f"/evenements/{event.pk}/"


def edit_url(event: Event) -> str:
    return f"/evenements/{event.pk}/modifier/"


def programme_url(programme: Programme) -> str:
    return f"/evenements/programmes/{programme.pk}/"


def register(event: Event, status: str = CONFIRMED, **kwargs: Any) -> Registration:
    return RegistrationFactory(event=event, status=status, **kwargs)


# ---- Creating an event


def test_creating_an_event_keeps_what_was_typed_and_says_what_is_wrong(platform: Platform) -> None:
    client = coordinator_client(platform)
    assert "Nouvel événement" in text(client.get(CREATE))
    start = in_days(10)
    ends_before = text(client.post(CREATE, event_data(ends_at=local(start - timedelta(hours=1)))))
    assert "La fin doit être après le début." in ends_before
    assert 'value="Découvrir le métier de pair aidant·e"' in ends_before
    nowhere = text(client.post(CREATE, event_data(place="")))
    assert "Indiquez où a lieu l'événement : une adresse ou une commune, ou un lien de visio" in nowhere
    assert "Une réunion pour comprendre le métier." in nowhere
    no_places = text(client.post(CREATE, event_data(capacity="0", place="")))
    assert "Le nombre de places va de 1 à 1 000 : laissez vide pour ne pas limiter." in no_places
    assert "Indiquez où a lieu l'événement" in no_places  # every mistake at once
    past = text(client.post(CREATE, event_data(starts_at=local(in_days(-2)), ends_at=local(in_days(-2, 16)))))
    assert "Ce début est déjà passé : choisissez une date et une heure à venir." in past
    bad_link = text(client.post(CREATE, event_data(place="", video_link="pas un lien")))
    assert "Indiquez une adresse web complète" in bad_link
    assert not Event.objects.exists()
    assert not JournalEntry.objects.filter(object_type="events.event").exists()


def test_a_coordinator_creates_an_event_with_its_trainers(platform: Platform) -> None:
    client = coordinator_client(platform)
    a, b = PeerProfileFactory(membership__platform=platform), PeerProfileFactory(membership__platform=platform)
    PeerProfileFactory(membership__platform=platform)
    response = client.post(CREATE, event_data(trainers=[a.pk, b.pk], capacity=""))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(event)
    assert set(event.trainers.all()) == {a, b}
    assert event.capacity is None and event.platform == platform and event.status == EventStatus.SCHEDULED
    assert len(event.token) >= 32
    entry = JournalEntry.objects.get(object_type="events.event", action=Action.CREATE)
    assert "trainers" in entry.fields and "title" in entry.fields
    assert all(" " not in name for name in entry.fields)  # names of fields, never values
    page = text(client.get(detail_url(event)))
    assert "Découvrir le métier de pair aidant·e" in page
    assert a.membership.user.display_name in page and b.membership.user.display_name in page
    assert f"/e/{event.token}/" in page and "Lien de l'événement (à diffuser)" in page


def test_a_remote_event_needs_only_its_link_and_an_invitation_says_so(platform: Platform) -> None:
    client = coordinator_client(platform)
    client.post(
        CREATE,
        event_data(place="", video_link="https://visio.exemple.test/salle", visibility=Visibility.INVITATION),
    )
    event = Event.objects.get()
    assert event.video_link == "https://visio.exemple.test/salle"
    page = text(client.get(detail_url(event)))
    assert "Lien d'invitation" in page and "En visio" in page


def test_a_deployment_must_be_the_partners(platform: Platform) -> None:
    client = coordinator_client(platform)
    ours, other = OrganisationFactory(platform=platform), OrganisationFactory(platform=platform)
    deployment = DeploymentFactory(organisation=other)
    refused = text(client.post(CREATE, event_data(organisation=ours.pk, deployment=deployment.pk)))
    assert "Ce déploiement est celui d'un autre partenaire" in refused
    assert not Event.objects.exists()
    prefilled = text(client.get(f"{CREATE}?deploiement={deployment.pk}"))
    assert f'<option value="{deployment.pk}" selected>' in prefilled
    client.post(CREATE, event_data(deployment=deployment.pk, kind=Kind.SENSITISATION))
    event = Event.objects.get()
    assert event.organisation == other and event.deployment == deployment  # the partner comes with it


def test_the_beliefs_questionnaire_is_for_trainings(platform: Platform) -> None:
    client = coordinator_client(platform)
    instrument = demo_instrument(platform, "croyances-professionnels-demo")
    refused = text(client.post(CREATE, event_data(beliefs_instrument=instrument.pk)))
    assert "Le questionnaire avant / après est réservé aux formations." in refused
    client.post(CREATE, event_data(kind=Kind.TRAINING, beliefs_instrument=instrument.pk))
    assert Event.objects.get().beliefs_instrument == instrument


# ---- Changing an event


def test_the_capacity_never_goes_below_the_places_taken(platform: Platform) -> None:
    client = coordinator_client(platform)
    event = EventFactory.create(platform=platform, capacity=15)
    for _n in range(12):
        register(event)
    register(event, CANCELLED)
    data = event_data(
        title=event.title, starts_at=local(event.starts_at), ends_at=local(event.ends_at), place=event.place
    )
    assert event.title in text(client.get(edit_url(event)))
    refused = text(client.post(edit_url(event), {**data, "capacity": "10"}))
    assert "12 personnes sont déjà inscrites : la capacité ne peut pas descendre en dessous." in refused
    event.refresh_from_db()
    assert event.capacity == 15
    response = client.post(edit_url(event), {**data, "capacity": "12"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 12
    entry = JournalEntry.objects.get(object_type="events.event", action=Action.UPDATE)
    assert "capacity" in entry.fields


def test_raising_the_capacity_offers_the_new_place_to_the_first_waiting(platform: Platform) -> None:
    client = coordinator_client(platform)
    event = EventFactory(platform=platform, capacity=2)
    register(event), register(event)
    first = register(event, WAITING)
    second = register(event, WAITING)
    data = event_data(title=event.title, starts_at=local(event.starts_at), ends_at=local(event.ends_at), capacity="3")
    assert client.post(edit_url(event), data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OFFERED and second.status == WAITING


def test_a_cancelled_or_past_event_is_not_edited(platform: Platform) -> None:
    client = coordinator_client(platform)
    cancelled = EventFactory(platform=platform, status=EventStatus.CANCELLED, cancelled_at=timezone.now())
    past = EventFactory(platform=platform, starts_at=in_days(-3), ends_at=in_days(-3, 16))
    for event, message in (
        (cancelled, "Cet événement est annulé : il ne peut plus être modifié."),
        (past, "Cet événement est passé : il ne peut plus être modifié."),
    ):
        response = client.post(edit_url(event), event_data(title="Autre titre"), follow=True)
        assert message in text(response)
        event.refresh_from_db()
        assert event.title != "Autre titre"
        assert "Modifier</a>" not in text(client.get(detail_url(event)))


# ---- Cancelling an event


def test_cancelling_needs_the_confirmation_and_tells_every_active_registrant(platform: Platform) -> None:
    client = coordinator_client(platform)
    event = EventFactory(platform=platform, title="Sensibilisation fictive de l'école", capacity=3)
    confirmed = [register(event), register(event)]
    walk_in = register(event, walk_in=True, email="")
    offered = register(event, OFFERED, offered_until=timezone.now() + timedelta(days=1))
    waiting = register(event, WAITING)
    gone = register(event, CANCELLED)
    unconfirmed = text(client.post(detail_url(event), {"action": "cancel"}))
    assert "Cochez « Je confirme l'annulation » pour annuler l'événement." in unconfirmed
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED and not OutgoingEmail.objects.exists()
    response = client.post(detail_url(event), {"action": "cancel", "confirm": "on"}, follow=True)
    assert "4 personnes inscrites sont prévenues par e-mail." in text(response)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancelled_at is not None
    recipients = sorted(OutgoingEmail.objects.values_list("to", flat=True))
    assert recipients == sorted(r.email for r in [*confirmed, offered, waiting])
    assert gone.email not in recipients and walk_in.email == ""
    mail = OutgoingEmail.objects.get(to=waiting.email)
    assert "Sensibilisation fictive de l'école" in mail.subject and "liste d'attente" in mail.body
    assert "Annulé" in text(client.get(detail_url(event)))
    assert "Annulé" in text(client.get(LIST))
    entry = JournalEntry.objects.get(object_type="events.event", action=Action.UPDATE)
    assert entry.fields == ["cancelled_at", "status"]
    again = client.post(detail_url(event), {"action": "cancel", "confirm": "on"}, follow=True)
    assert OutgoingEmail.objects.count() == 4 and "Annuler l'événement</button>" not in text(again)


# ---- The registrations table


def test_the_registrations_table_and_unregistering(platform: Platform) -> None:
    client = coordinator_client(platform)
    event = EventFactory(platform=platform, capacity=1)
    late = register(event, WAITING, name="Camille Attente")
    placed = register(event, name="Dominique Inscrite", organisation="GEM fictif")
    register(event, CANCELLED, name="Alex Parti")
    page = text(client.get(detail_url(event)))
    assert page.index("Dominique Inscrite") < page.index("Camille Attente") < page.index("Alex Parti")
    assert "GEM fictif" in page and page.count("Désinscrire<span") == 2
    response = client.post(detail_url(event), {"action": "unregister", "registration": placed.pk}, follow=True)
    assert "Dominique Inscrite n'est plus inscrit·e." in text(response)
    placed.refresh_from_db()
    late.refresh_from_db()
    assert placed.status == CANCELLED and late.status == OFFERED
    assert "place proposée jusqu'au" in text(client.get(detail_url(event)))


def test_unregistering_a_registration_of_another_event_answers_404(platform: Platform) -> None:
    client = coordinator_client(platform)
    event, other = EventFactory(platform=platform), EventFactory(platform=platform)
    elsewhere = register(other)
    response = client.post(detail_url(event), {"action": "unregister", "registration": elsewhere.pk})
    assert response.status_code == 404
    assert client.post(detail_url(event), {"action": "unregister", "registration": "x"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == CONFIRMED


def test_inviting_the_circle_to_an_intervision(platform: Platform) -> None:
    client = coordinator_client(platform)
    intervision = EventFactory(platform=platform, kind=Kind.INTERVISION, visibility=Visibility.PEERS)
    CircleMemberFactory(platform=platform), CircleMemberFactory(platform=platform)
    CircleMemberFactory(platform=platform, active=False)
    assert "Inviter le cercle d'intervision" in text(client.get(detail_url(intervision)))
    response = client.post(detail_url(intervision), {"action": "invite_circle"}, follow=True)
    assert "2 invitations envoyées." in text(response)
    assert OutgoingEmail.objects.count() == 2
    info = EventFactory(platform=platform)
    assert "Inviter le cercle" not in text(client.get(detail_url(info)))


def test_opening_the_before_questionnaire_of_a_training(platform: Platform) -> None:
    client = coordinator_client(platform)
    instrument = demo_instrument(platform, "croyances-professionnels-demo")
    training = EventFactory(platform=platform, kind=Kind.TRAINING, beliefs_instrument=instrument)
    register(training)
    assert "Envoyer le questionnaire « avant »" in text(client.get(detail_url(training)))
    client.post(detail_url(training), {"action": "beliefs_before"})
    training.refresh_from_db()
    assert training.beliefs_before is not None
    assert "Envoyer le questionnaire « avant »" not in text(client.get(detail_url(training)))


# ---- The list


def test_the_list_shows_upcoming_or_past_events_and_filters(platform: Platform) -> None:
    client = coordinator_client(platform)
    trainer = PeerProfileFactory(membership__platform=platform)
    soon = EventFactory(platform=platform, title="Réunion fictive à venir", capacity=12)
    soon.trainers.set([trainer])
    for _n in range(8):
        register(soon)
    for _n in range(3):
        register(soon, WAITING)
    EventFactory(
        platform=platform,
        title="Formation fictive à venir",
        kind=Kind.TRAINING,
        place="",
        video_link="https://v.test/x",
    )
    EventFactory(platform=platform, title="Réunion fictive passée", starts_at=in_days(-5), ends_at=in_days(-5, 16))
    EventFactory(title="Réunion d'une autre plateforme")
    page = text(client.get(LIST))
    assert "Réunion fictive à venir" in page and "Formation fictive à venir" in page
    assert "Réunion fictive passée" not in page and "autre plateforme" not in page
    assert "8 / 12" in page and "3 en attente" in page and "En visio" in page
    assert trainer.membership.user.display_name in page
    assert "/agenda-public/test-rhone/" in page and "Nouvel événement" in page
    past = text(client.get(f"{LIST}?periode=passes"))
    assert "Réunion fictive passée" in past and "Réunion fictive à venir" not in past
    trainings = text(client.get(f"{LIST}?kind={Kind.TRAINING}"))
    assert "Formation fictive à venir" in trainings and "Réunion fictive à venir" not in trainings


# ---- Access


def test_only_the_coordination_manages_events(platform: Platform, client_as: Any) -> None:
    event = EventFactory(platform=platform)
    programme = ProgrammeFactory(platform=platform)
    urls = [LIST, CREATE, detail_url(event), edit_url(event), PROGRAMMES, PROGRAMME_CREATE, programme_url(programme)]
    for role in (Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON):
        client, _membership = client_as(role, platform)
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    assert coordinator.get(MINE).status_code == 403
    for role in (Role.PARTNER_CONTACT, Role.PERSON):
        client, _membership = client_as(role, platform)
        assert client.get(MINE).status_code == 403


def test_another_platforms_event_or_programme_answers_404(platform: Platform, other_platform: Platform) -> None:
    client = coordinator_client(platform)
    theirs = EventFactory(platform=other_platform)
    registration = register(theirs)
    programme = ProgrammeFactory(platform=other_platform)
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(detail_url(theirs), {"action": "cancel", "confirm": "on"}).status_code == 404
    assert client.post(detail_url(theirs), {"action": "unregister", "registration": registration.pk}).status_code == 404
    assert client.get(programme_url(programme)).status_code == 404
    theirs.refresh_from_db()
    registration.refresh_from_db()
    assert theirs.status == EventStatus.SCHEDULED and registration.status == CONFIRMED


# ---- Programmes


def programme_data(rows: list[tuple[datetime, str] | None], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Pratiques orientées rétablissement – équipe fictive",
        "description": "Quatre temps pour toute l'équipe et son encadrement.",
        "organisation": "",
        "deployment": "",
        "capacity": "15",
        "visibility": Visibility.INVITATION,
        "video_link": "",
        "seances-TOTAL_FORMS": str(len(rows)),
        "seances-INITIAL_FORMS": "0",
        "seances-MIN_NUM_FORMS": "2",
        "seances-MAX_NUM_FORMS": "12",
        **extra,
    }
    for index, row in enumerate(rows):
        start, place = row if row is not None else (None, "")
        data[f"seances-{index}-day"] = start.date().isoformat() if start else ""
        data[f"seances-{index}-start"] = start.strftime("%H:%M") if start else ""
        data[f"seances-{index}-end"] = (start + timedelta(hours=3)).strftime("%H:%M") if start else ""
        data[f"seances-{index}-place"] = place
    return data


def test_a_programme_is_created_with_its_sessions(platform: Platform) -> None:
    client = coordinator_client(platform)
    trainer = PeerProfileFactory(membership__platform=platform)
    organisation = OrganisationFactory(platform=platform)
    page = text(client.get(f"{PROGRAMME_CREATE}?seances=5"))
    assert page.count('name="seances-') >= 5 * 4 and "Séance 5" in page
    too_few = text(client.post(PROGRAMME_CREATE, programme_data([(in_days(10), "Salle A"), None, None])))
    assert "Indiquez la date." in too_few and "Quatre temps pour toute l'équipe" in too_few
    assert not Programme.objects.exists() and not Event.objects.exists()
    rows = [(in_days(30), "Salle B"), (in_days(10), "Salle A"), (in_days(50), "Salle C"), None]
    response = client.post(PROGRAMME_CREATE, programme_data(rows, trainers=[trainer.pk], organisation=organisation.pk))
    programme = Programme.objects.get()
    assert response.status_code == 302 and response["Location"] == programme_url(programme)
    sessions = list(programme.sessions.order_by("starts_at"))
    assert [s.place for s in sessions] == ["Salle A", "Salle B", "Salle C"]
    assert all(s.kind == Kind.TRAINING and s.visibility == Visibility.INVITATION for s in sessions)
    assert all(s.capacity == 15 and s.organisation == organisation for s in sessions)
    assert all(list(s.trainers.all()) == [trainer] for s in sessions)
    assert sessions[0].title.endswith("séance 1 sur 3") and len({s.token for s in sessions}) == 3
    assert "Salle C" in text(client.get(programme_url(programme)))
    assert "Pratiques orientées rétablissement" in text(client.get(PROGRAMMES))


def test_a_session_in_the_past_or_without_a_place_is_refused(platform: Platform) -> None:
    client = coordinator_client(platform)
    rows = [(in_days(10), "Salle A"), (in_days(-10), "Salle B"), (in_days(20), "")]
    page = text(client.post(PROGRAMME_CREATE, programme_data(rows)))
    assert "Séance 2 : ce début est déjà passé" in page and "Séance 3 : indiquez le lieu" in page
    assert not Programme.objects.exists() and not Event.objects.exists()


def _programme_with_past_sessions(platform: Platform, count: int = 4) -> tuple[Programme, list[Event]]:
    programme = ProgrammeFactory(platform=platform, title="Programme fictif de quatre séances")
    sessions = [
        EventFactory(
            platform=platform,
            programme=programme,
            kind=Kind.TRAINING,
            starts_at=in_days(-60 + 14 * index),
            ends_at=in_days(-60 + 14 * index, 17),
        )
        for index in range(count)
    ]
    return programme, sessions


def test_the_completion_table_counts_sessions_attended(platform: Platform) -> None:
    client = coordinator_client(platform)
    programme, sessions = _programme_with_past_sessions(platform)
    for index, session in enumerate(sessions):
        register(session, name="Alix Présente", email="Alix@Exemple.test", attended=index != 2)
        register(session, name="Bérénice Assidue", email="berenice@exemple.test", attended=True)
    register(sessions[0], name="Sans Courriel", email="", walk_in=True, attended=True)
    register(sessions[1], name="Partie Avant", email="partie@exemple.test", status=CANCELLED)
    cancelled = EventFactory(
        platform=platform,
        programme=programme,
        status=EventStatus.CANCELLED,
        starts_at=in_days(-1),
        ends_at=in_days(-1, 17),
    )
    register(cancelled, name="Alix Présente", email="alix@exemple.test")
    completion = reads.programme_completion(programme)
    assert [s.pk for s in completion.sessions] == [s.pk for s in sessions]
    rows = {p.name: p for p in completion.participants}
    assert set(rows) == {"Alix Présente", "Bérénice Assidue", "Sans Courriel"}
    alix = rows["Alix Présente"]
    assert (alix.attended, alix.sessions, alix.complete) == (3, 4, False)
    assert [cell.state for cell in alix.cells] == ["present", "present", "absent", "present"]
    assert rows["Bérénice Assidue"].complete and rows["Sans Courriel"].attended == 1
    assert [cell.state for cell in rows["Sans Courriel"].cells] == ["present", "", "", ""]
    page = text(client.get(programme_url(programme)))
    assert "3 / 4 séances" in page and "4 / 4 séances" in page and "1 / 4 séances" in page
    assert page.count("Parcours complet") == 1
    assert "Partie Avant" not in page
    row = next(p for p in reads.programme_rows(platform, now=timezone.now()) if p.pk == programme.pk)
    assert (row.sessions_count, row.participants_count, row.next_session) == (4, 3, None)


def test_registering_someone_on_every_session_to_come(platform: Platform) -> None:
    client = coordinator_client(platform)
    programme = ProgrammeFactory(platform=platform)
    done = EventFactory(platform=platform, programme=programme, starts_at=in_days(-7), ends_at=in_days(-7, 17))
    first = EventFactory(platform=platform, programme=programme, starts_at=in_days(7), capacity=2)
    second = EventFactory(platform=platform, programme=programme, starts_at=in_days(21), capacity=2)
    person = {"action": "register", "name": "Sacha Fictif", "email": "sacha@exemple.test", "organisation": "CMP fictif"}
    response = client.post(programme_url(programme), person, follow=True)
    assert "Sacha Fictif est inscrit·e à 2 séances." in text(response)
    assert set(Registration.objects.filter(email="sacha@exemple.test").values_list("event_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert not done.registrations.exists()
    again = text(client.post(programme_url(programme), person))
    assert "Cette adresse est déjà inscrite à toutes les séances à venir." in again
    register(second)
    full = text(client.post(programme_url(programme), {**person, "name": "Noa Fictif", "email": "noa@exemple.test"}))
    assert "est complète : personne n'a été inscrit·e." in full and 'value="Noa Fictif"' in full
    assert not Registration.objects.filter(email="noa@exemple.test").exists()
    missing = text(client.post(programme_url(programme), {"action": "register", "name": "", "email": ""}))
    assert "Indiquez le prénom et le nom." in missing and "Indiquez l'adresse e-mail." in missing


# ---- The peer worker's own events


def test_a_peer_worker_sees_only_the_events_they_lead(platform: Platform) -> None:
    client, me = peer_client(platform)
    colleague = PeerProfileFactory(membership__platform=platform)
    mine = EventFactory(platform=platform, title="Mon intervention fictive")
    mine.trainers.set([me, colleague])
    recent = EventFactory(
        platform=platform, title="Ma séance fictive récente", starts_at=in_days(-20), ends_at=in_days(-20, 16)
    )
    recent.trainers.set([me])
    old = EventFactory(
        platform=platform, title="Ma séance fictive ancienne", starts_at=in_days(-200), ends_at=in_days(-200, 16)
    )
    old.trainers.set([me])
    theirs = EventFactory(platform=platform, title="Séance fictive d'un collègue")
    theirs.trainers.set([colleague])
    page = text(client.get(MINE))
    assert "Mon intervention fictive" in page and "Ma séance fictive récente" in page
    assert "ancienne" not in page and "d'un collègue" not in page
    assert colleague.membership.user.display_name in page  # the co-trainer
    assert f"/evenements/{recent.pk}/appel/" in page
    assert f"/evenements/{mine.pk}/appel/" not in page and "L'appel s'ouvre le jour de l'événement." in page


# ---- The deployment page's block


def test_the_deployment_block_lists_its_events_in_two_queries(
    platform: Platform, django_assert_max_num_queries: Any
) -> None:
    deployment = DeploymentFactory(organisation=OrganisationFactory(platform=platform))
    EventFactory(platform=platform, deployment=deployment, title="Sensibilisation fictive de l'équipe")
    EventFactory(platform=platform, deployment=deployment, status=EventStatus.CANCELLED)
    ProgrammeFactory(platform=platform, deployment=deployment, title="Programme fictif de l'équipe")
    with django_assert_max_num_queries(2):
        page = html.unescape(
            render_to_string("events/_deployment_events.html", {"deployment": deployment, "coordinator": True})
        )
    assert "Sensibilisation fictive de l'équipe" in page and "Programme fictif de l'équipe" in page
    assert "Annulé" in page and f"?deploiement={deployment.pk}" in page
    partner_view = render_to_string("events/_deployment_events.html", {"deployment": deployment, "coordinator": False})
    assert "/evenements/" not in partner_view


# ---- Query counts


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _busy_event(platform: Platform, **kwargs: Any) -> Event:
    event = EventFactory(platform=platform, commune=None, **kwargs)
    event.trainers.set([PeerProfileFactory(membership__platform=platform) for _n in range(2)])
    register(event), register(event, WAITING), register(event, CANCELLED)
    return event


def test_the_list_runs_the_same_queries_for_2_or_10_events(platform: Platform) -> None:
    client = coordinator_client(platform)
    for _n in range(2):
        _busy_event(platform)
    few = _queries(client, LIST)
    for _n in range(8):
        _busy_event(platform)
    assert _queries(client, LIST) == few


def test_the_event_page_runs_the_same_queries_for_few_or_many_registrations(platform: Platform) -> None:
    client = coordinator_client(platform)
    event = _busy_event(platform, capacity=None)
    few = _queries(client, detail_url(event))
    for _n in range(10):
        register(event), register(event, CANCELLED, walk_in=True)
    assert _queries(client, detail_url(event)) == few


def test_the_programme_page_runs_the_same_queries_for_few_or_many_participants(platform: Platform) -> None:
    client = coordinator_client(platform)
    programme, sessions = _programme_with_past_sessions(platform, 2)
    for session in sessions:
        register(session, email="un@exemple.test", attended=True)
    few = _queries(client, programme_url(programme))
    for index in range(2, 5):
        sessions.append(
            EventFactory(
                platform=platform, programme=programme, starts_at=in_days(index * 7), ends_at=in_days(index * 7, 17)
            )
        )
    for number in range(10):
        for session in sessions:
            register(session, email=f"personne{number}@exemple.test", attended=session.starts_at < timezone.now())
    assert _queries(client, programme_url(programme)) == few


def test_the_programme_list_runs_the_same_queries_for_2_or_8_programmes(platform: Platform) -> None:
    client = coordinator_client(platform)

    def add(count: int) -> None:
        for _n in range(count):
            _programme, sessions = _programme_with_past_sessions(platform, 2)
            register(sessions[0], attended=True)

    add(2)
    few = _queries(client, PROGRAMMES)
    add(6)
    assert _queries(client, PROGRAMMES) == few


def test_my_events_runs_the_same_queries_for_2_or_10_events(platform: Platform) -> None:
    client, me = peer_client(platform)

    def add(count: int) -> None:
        for index in range(count):
            upcoming = _busy_event(platform)
            upcoming.trainers.add(me)
            past = _busy_event(platform, starts_at=in_days(-3 - index), ends_at=in_days(-3 - index, 16))
            past.trainers.add(me)

    add(1)
    few = _queries(client, MINE)
    add(5)
    assert _queries(client, MINE) == few
