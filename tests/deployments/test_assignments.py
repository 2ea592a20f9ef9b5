"""Assigning peer workers: the screen with ranked suggestions, placing a worker, changing or
ending an assignment, the gate before integration, the worker's own schedule, the requested
half-days of a request, and who may see or do what."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.test import Client

from pairs.deployments.models import Assignment, AssignmentSlot, Deployment, State
from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.partners.models import Organisation
from pairs.peers.models import AvailabilityException, AvailabilitySlot, PeerProfile, Skill
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import AssignmentFactory, DeploymentFactory, ReviewFactory, partner_of
from tests.factories import commune
from tests.partners.factories import TeamFactory
from tests.peers.factories import ActivityEntryFactory, PeerProfileFactory

MONDAY = date(2027, 1, 4)
REQUESTED = ["0:morning", "0:afternoon", "3:morning", "3:afternoon"]


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def lyon() -> Any:
    return commune("69123", "Lyon", 45.758, 4.835)


def villeurbanne() -> Any:
    return commune("69266", "Villeurbanne", 45.766, 4.879)


def givors() -> Any:
    return commune("69091", "Givors", 45.590, 4.769)


def deployment_in(platform: Platform, state: State = State.ASSIGNMENT, **kwargs: Any) -> Deployment:
    organisation = Organisation.objects.create(
        platform=platform,
        name=f"CH du Vinatier {Organisation.objects.count()}",
        sector="psychiatric_hospital",
        address="1 rue de l'Exemple",
        commune=lyon(),
    )
    team = TeamFactory(organisation=organisation, name="Unité Saint-Exemple")
    kwargs.setdefault("requested_slots", REQUESTED)
    return DeploymentFactory(organisation=organisation, team=team, state=state, start_date=MONDAY, **kwargs)


def worker(
    platform: Platform, first_name: str, *, home: Any = None, slots: list[str] = REQUESTED, **kwargs: Any
) -> PeerProfile:
    kwargs.setdefault("contract_hours", Decimal("24"))
    profile = PeerProfileFactory(
        membership__platform=platform,
        membership__user__first_name=first_name,
        membership__user__last_name="Test",
        home_commune=home,
        **kwargs,
    )
    for value in slots:
        weekday, part = value.split(":")
        AvailabilitySlot.objects.create(profile=profile, weekday=int(weekday), part=part)
    return profile


def screen(deployment: Deployment) -> str:
    return f"/deploiements/{deployment.pk}/affectation/"


def _assign_data(profile: PeerProfile, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "assign",
        "origin": "suggestion",
        "profile": profile.pk,
        "weekly_hours": "3,5",
        "start_date": MONDAY.isoformat(),
        "end_date": "",
        "slots": ["0:morning", "3:afternoon"],
    }
    data.update(overrides)
    return data


# ---- The screen


def test_the_screen_is_closed_before_the_assignment_step(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform, State.SENSITISATION)
    worker(platform, "Alice")
    page = text(client.get(screen(deployment)))
    assert "Ce déploiement est à l'étape « Sensibilisation de l'équipe »" in page
    assert "Affecter Alice" not in page and 'name="weekly_hours"' not in page
    response = client.post(screen(deployment), _assign_data(PeerProfile.objects.get()))
    assert response.status_code == 409
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("state", [State.ASSIGNMENT, State.INTEGRATION, State.ASSESSMENT, State.RENEWAL])
def test_the_screen_is_open_at_the_assignment_steps(state: State, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform, state)
    worker(platform, "Alice")
    assert "Affecter Alice Test" in text(client.get(screen(deployment)))


def test_suggestions_are_ranked_with_their_reasons(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform, expected_hours=Decimal("7"), rhythm="Deux demi-journées")
    near = worker(platform, "Alice", home=villeurbanne())
    far = worker(platform, "Bruno", home=givors())
    # Bruno is already in another team on Thursday morning, and on leave the first Monday.
    elsewhere = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION, start_date=date(2026, 1, 5))
    busy = AssignmentFactory(deployment=elsewhere, profile=far, weekly_hours=Decimal("10"), start_date=date(2026, 1, 5))
    AssignmentSlot.objects.create(assignment=busy, weekday=3, part="morning")
    AvailabilityException.objects.create(profile=far, period=DateRange(MONDAY, MONDAY, "[]"), kind="leave")
    # Chloé knows the team: she worked in an earlier deployment of the same team.
    knows = worker(platform, "Chloé", home=villeurbanne(), slots=["0:morning"])
    earlier = DeploymentFactory(
        organisation=deployment.organisation, team=deployment.team, state=State.ENDED, start_date=date(2025, 1, 6)
    )
    AssignmentFactory(deployment=earlier, profile=knows, start_date=date(2025, 1, 6), end_date=date(2025, 12, 31))
    # Not suggested: gone, account disabled, another platform.
    worker(platform, "Gaston", status_end=date(2026, 12, 31))
    worker(platform, "Inès", membership__is_active=False)
    worker(other_platform, "Xavier")

    page = text(client.get(screen(deployment)))
    assert "lundi matin, lundi après-midi, jeudi matin, jeudi après-midi" in page
    assert "7 h par semaine" in page and "Deux demi-journées" in page and "4 janvier 2027" in page
    suggestions = page[page.index('id="suggestions"') : page.index('id="autre"')]
    order = [suggestions.index(f"{name} Test") for name in ("Alice", "Chloé", "Bruno")]
    assert order == sorted(order)
    for absent in ("Gaston", "Inès", "Xavier"):
        assert absent not in suggestions
    assert "Disponible sur 4 des 4 demi-journées demandées" in suggestions
    assert "Habite à 4 km (Villeurbanne)" in suggestions
    assert "Connaît déjà l'équipe" in suggestions
    assert "Disponible sur 1 des 4 demi-journées demandées" in suggestions
    assert "déjà pris par une autre affectation : jeudi matin" in suggestions
    assert "absent·e le lundi 4 janvier" in suggestions
    assert "14 h libres au contrat pour 7 h demandées" in suggestions
    assert "sur 100" in suggestions and '<ol class="assign-suggestions">' in suggestions
    # The plain list holds every active worker not yet assigned, suggestions or not.
    select = page[page.index('id="autre"') :]
    assert all(f"{name} Test" in select for name in ("Alice", "Bruno", "Chloé"))
    assert near.pk and "Gaston" not in select


def test_the_coordinator_sets_the_skills_looked_for(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    listening = Skill.objects.create(platform=platform, name="Écoute")
    groups = Skill.objects.create(platform=platform, name="Animation de groupe")
    Skill.objects.create(platform=platform, name="Emploi")
    alice = worker(platform, "Alice")
    alice.skills.add(listening)
    response = client.post(screen(deployment), {"action": "skills", "skills": [listening.pk, groups.pk]}, follow=True)
    page = text(response)
    assert "Les compétences recherchées sont enregistrées." in page
    assert set(deployment.skills.all()) == {listening, groups}
    assert "1 compétence recherchée sur 2 : Écoute" in page
    assert JournalEntry.objects.filter(
        action=Action.UPDATE, object_type="deployments.deployment", object_id=str(deployment.pk), fields=["skills"]
    ).exists()


def test_skills_of_another_platform_are_refused(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    Skill.objects.create(platform=platform, name="Écoute")
    foreign = Skill.objects.create(platform=other_platform, name="Écoute")
    page = text(client.post(screen(deployment), {"action": "skills", "skills": [foreign.pk]}))
    assert "Choisissez des compétences de la liste." in page
    assert not deployment.skills.exists()


# ---- Placing a worker


def test_assigning_from_a_suggestion(
    platform: Platform, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client, membership = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    alice = worker(platform, "Alice", home=villeurbanne())
    page = text(client.get(screen(deployment)))
    # Defaults: the requested hours, the start, the requested half-days she is free on.
    hours = re.search(rf'<input[^>]*id="id_s{alice.pk}_weekly_hours"[^>]*>', page)
    assert hours is not None and 'value="7"' in hours.group(0)
    assert f'id="id_s{alice.pk}_slots_3_afternoon" checked' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(screen(deployment), _assign_data(alice))
    assert response.status_code == 302 and response["Location"].endswith(f"/deploiements/{deployment.pk}/#affectations")
    assignment = Assignment.objects.get(deployment=deployment)
    assert (assignment.profile, assignment.weekly_hours, assignment.start_date) == (alice, Decimal("3.5"), MONDAY)
    assert assignment.created_by == membership.user and assignment.platform == platform
    assert sorted(assignment.slots.values_list("weekday", "part")) == [(0, "morning"), (3, "afternoon")]
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="deployments.assignment")
    assert entry.object_id == str(assignment.pk) and "slots" in entry.fields
    mail = OutgoingEmail.objects.get(kind="assignment_created")
    assert mail.to == alice.membership.user.email
    assert deployment.organisation.name in mail.subject
    assert "Unité Saint-Exemple" in mail.body and "lundi matin, jeudi après-midi" in mail.body
    assert "4 janvier 2027" in mail.body and "/mes-affectations/" in mail.body and "3,5 h" in mail.body
    detail = text(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Pairs aidant·es affecté·es" in detail and "Alice Test" in detail
    assert "lundi matin, jeudi après-midi" in detail and "3,5 h" in detail


def test_assigning_any_active_worker_from_the_list(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    bruno = worker(platform, "Bruno", slots=[])
    response = client.post(screen(deployment), _assign_data(bruno, origin="select", slots=[]))
    assert response.status_code == 302
    assert Assignment.objects.get(deployment=deployment).profile == bruno


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"weekly_hours": "0"}, "Le nombre d'heures par semaine doit être compris entre 0,5 et 48.", "weekly_hours"),
        ({"weekly_hours": "49"}, "Le nombre d'heures par semaine doit être compris entre 0,5 et 48.", "weekly_hours"),
        ({"weekly_hours": "beaucoup"}, "Écrivez un nombre d'heures, par exemple 3 ou 3,5.", "weekly_hours"),
        ({"end_date": "2027-01-01"}, "La date de fin doit suivre la date de début.", "end_date"),
        ({"slots": ["9:morning"]}, "Choisissez des demi-journées de la semaine.", "slots"),
    ],
)
def test_bad_input_is_refused_and_kept(
    overrides: dict[str, Any], message: str, field: str, platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    alice = worker(platform, "Alice")
    response = client.post(screen(deployment), _assign_data(alice, **overrides))
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert f'id="id_s{alice.pk}_{field}_error"' in page or f"id_s{alice.pk}_{field}" in page
    assert '<details class="assign-form" open>' in page
    assert not Assignment.objects.exists()
    assert not OutgoingEmail.objects.filter(kind="assignment_created").exists()


def test_a_worker_is_assigned_once(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    alice = worker(platform, "Alice")
    AssignmentFactory(deployment=deployment, profile=alice)
    page = text(client.post(screen(deployment), _assign_data(alice)))
    assert "Ce ou cette pair aidant·e est déjà affecté·e à ce déploiement." in page
    assert Assignment.objects.count() == 1


def test_inactive_and_foreign_workers_are_refused(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    gone = worker(platform, "Gaston", status_end=date(2026, 12, 31))
    foreign = worker(other_platform, "Xavier")
    page = text(client.post(screen(deployment), _assign_data(gone)))
    assert "n'est pas en activité sur la plateforme" in page
    page = text(client.post(screen(deployment), _assign_data(foreign)))
    assert "Choisissez un·e pair aidant·e de la liste." in page
    page = text(client.post(screen(deployment), _assign_data(gone, origin="select")))
    assert "Choisissez un·e pair aidant·e de la liste." in page
    assert not Assignment.objects.exists()


def _pool(platform: Platform, deployment: Deployment, size: int) -> None:
    skill = Skill.objects.create(platform=platform, name=f"Écoute {size}")
    deployment.skills.add(skill)
    other = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION, start_date=date(2026, 1, 5))
    for i in range(size):
        profile = worker(platform, f"Personne{i}", home=villeurbanne() if i % 2 else None)
        profile.skills.add(skill)
        AvailabilityException.objects.create(
            profile=profile, period=DateRange(MONDAY, MONDAY + timedelta(days=2), "[]"), kind="leave"
        )
        busy = AssignmentFactory(deployment=other, profile=profile, start_date=date(2026, 1, 5))
        AssignmentSlot.objects.create(assignment=busy, weekday=3, part="morning")
        ActivityEntryFactory(profile=profile, day=date(2026, 11, 23), duration_minutes=60)


@pytest.mark.parametrize("size", [2, 14])
def test_the_screen_runs_in_constant_queries(
    size: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform)
    _pool(platform, deployment, size)
    AssignmentFactory(deployment=deployment, profile=worker(platform, "Déjà"))
    client.get(screen(deployment))  # warm the session and the caches
    with django_assert_num_queries(26):
        response = client.get(screen(deployment) + "?toutes=1")
    assert response.status_code == 200
    assert text(response).count("Affecter Personne") == size


# ---- Changing, ending, removing


def edit_url(assignment: Assignment) -> str:
    return f"/affectations/{assignment.pk}/"


def test_changing_and_ending_an_assignment(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform, State.INTEGRATION)
    assignment = AssignmentFactory(deployment=deployment, profile=worker(platform, "Alice"), start_date=MONDAY)
    AssignmentSlot.objects.create(assignment=assignment, weekday=0, part="morning")
    page = text(client.get(edit_url(assignment)))
    assert "Affectation de Alice Test" in page and 'value="0:morning" id="id_slots_0_morning" checked' in page
    response = client.post(
        edit_url(assignment), {"weekly_hours": "5", "end_date": "2027-06-30", "slots": ["1:afternoon", "3:morning"]}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.weekly_hours, assignment.end_date) == (Decimal("5"), date(2027, 6, 30))
    assert sorted(assignment.slots.values_list("weekday", "part")) == [(1, "afternoon"), (3, "morning")]
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="deployments.assignment")
    assert sorted(entry.fields) == ["end_date", "slots", "weekly_hours"]


def test_an_end_before_the_start_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assignment = AssignmentFactory(deployment=deployment_in(platform), start_date=MONDAY)
    page = text(client.post(edit_url(assignment), {"weekly_hours": "7", "end_date": "2026-12-01"}))
    assert "La date de fin doit suivre la date de début." in page and 'value="2026-12-01"' in page
    assignment.refresh_from_db()
    assert assignment.end_date is None


def test_an_assignment_with_logged_work_only_ends(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assignment = AssignmentFactory(deployment=deployment_in(platform), start_date=date(2026, 9, 1))
    ActivityEntryFactory(profile=assignment.profile, day=date(2026, 11, 2), assignment=assignment)
    page = text(client.post(edit_url(assignment), {"supprimer": "1"}))
    assert "elle ne peut pas être supprimée. Indiquez plutôt une date de fin." in page
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    page = text(client.post(edit_url(assignment), {"weekly_hours": "7", "end_date": "2026-10-31"}))
    assert "Des activités sont notées pour cette affectation jusqu'au 2 novembre 2026" in page
    response = client.post(edit_url(assignment), {"weekly_hours": "7", "end_date": "2026-11-20"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == date(2026, 11, 20)


def test_an_assignment_made_by_mistake_is_removed(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assignment = AssignmentFactory(deployment=deployment_in(platform))
    AssignmentSlot.objects.create(assignment=assignment, weekday=0, part="morning")
    response = client.post(edit_url(assignment), {"supprimer": "1"}, follow=True)
    assert "L'affectation de" in text(response) and "est supprimée." in text(response)
    assert not Assignment.objects.exists() and not AssignmentSlot.objects.exists()
    assert JournalEntry.objects.filter(action=Action.DELETE, object_type="deployments.assignment").exists()


# ---- The gate before integration


def test_integration_needs_an_assignment(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    deployment = deployment_in(platform, State.ASSIGNMENT, acknowledged=True)
    data = {"target": State.INTEGRATION, "reason": "", "expected_state": State.ASSIGNMENT}
    page = text(client.post(f"/deploiements/{deployment.pk}/avancer/", data))
    assert "Affectez au moins un·e pair aidant·e avant de commencer l'intégration." in page
    deployment.refresh_from_db()
    assert deployment.state == State.ASSIGNMENT
    client.post(screen(deployment), _assign_data(worker(platform, "Alice")))
    response = client.post(f"/deploiements/{deployment.pk}/avancer/", data)
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == State.INTEGRATION


# ---- Who sees what


def test_a_partner_sees_names_hours_and_half_days_only(platform: Platform) -> None:
    deployment = deployment_in(platform, State.INTEGRATION)
    alice = worker(platform, "Alice", home=villeurbanne())
    alice.membership.user.email = "alice.secret@test.example"
    alice.membership.user.save()
    assignment = AssignmentFactory(deployment=deployment, profile=alice, weekly_hours=Decimal("3.5"))
    AssignmentSlot.objects.create(assignment=assignment, weekday=1, part="morning")
    membership, _ = partner_of(platform, deployment.organisation)
    client = login_client(Client(), membership)
    page = text(client.get(f"/deploiements/{deployment.pk}/"))
    assert "Alice Test" in page and "3,5 h" in page and "mardi matin" in page
    assert "alice.secret@test.example" not in page and "Villeurbanne" not in page
    assert f"/affectations/{assignment.pk}/" not in page and "/affectation/" not in page
    assert client.get(screen(deployment)).status_code == 403
    assert client.get(edit_url(assignment)).status_code == 403


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER])
def test_only_coordinators_assign(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    deployment = deployment_in(platform)
    assignment = AssignmentFactory(deployment=deployment)
    assert client.get(screen(deployment)).status_code == 403
    assert client.post(edit_url(assignment), {"supprimer": "1"}).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# ---- The worker's own schedule


def signed_in(profile: PeerProfile) -> Client:
    return login_client(Client(), profile.membership)


def test_my_assignments_show_my_week(platform: Platform) -> None:
    alice = worker(platform, "Alice")
    current = AssignmentFactory(
        deployment=deployment_in(platform, State.INTEGRATION), profile=alice, start_date=date(2026, 9, 1)
    )
    AssignmentSlot.objects.create(assignment=current, weekday=1, part="morning")
    AssignmentSlot.objects.create(assignment=current, weekday=3, part="afternoon")
    ReviewFactory(deployment=current.deployment, planned_on=date(2026, 11, 1), held_on=date(2026, 11, 1))
    ReviewFactory(deployment=current.deployment, planned_on=date(2026, 12, 14))
    ReviewFactory(deployment=current.deployment, planned_on=date(2027, 3, 1))
    upcoming_deployment = DeploymentFactory(
        organisation__platform=platform, organisation__name="GEM Les Ailes", state=State.ASSIGNMENT
    )
    upcoming = AssignmentFactory(deployment=upcoming_deployment, profile=alice, start_date=MONDAY)
    AssignmentSlot.objects.create(assignment=upcoming, weekday=4, part="morning")
    ended = AssignmentFactory(
        deployment=DeploymentFactory(organisation__platform=platform, organisation__name="Ancien partenaire"),
        profile=alice,
        start_date=date(2025, 1, 6),
        end_date=date(2025, 12, 31),
    )
    someone_else = AssignmentFactory(
        deployment=DeploymentFactory(organisation__platform=platform, organisation__name="Partenaire d'un collègue"),
        start_date=date(2026, 9, 1),
    )
    page = text(signed_in(alice).get("/mes-affectations/"))
    assert "Mon planning de la semaine" in page and '<th scope="row">Mardi</th>' in page
    label = f"{current.deployment.organisation.name} – Unité Saint-Exemple"
    assert label in page and "GEM Les Ailes" in page and "(à partir du 4 janvier)" in page
    assert "14 décembre 2026" in page and "1 mars 2027" not in page
    assert "1 rue de l'Exemple, Lyon" in page
    assert "mardi matin, jeudi après-midi" in page
    assert ended.deployment.organisation.name not in page
    assert someone_else.deployment.organisation.name not in page
    assert "plusieurs affectations sur cette demi-journée" not in page
    AssignmentSlot.objects.create(assignment=upcoming, weekday=1, part="morning")
    page = text(signed_in(alice).get("/mes-affectations/"))
    assert page.count("plusieurs affectations sur cette demi-journée") == 1


def test_a_worker_without_assignment_is_told_so(platform: Platform) -> None:
    page = text(signed_in(worker(platform, "Alice")).get("/mes-affectations/"))
    assert "Vous n'avez pas d'affectation en cours ni à venir" in page


@pytest.mark.parametrize("size", [1, 8])
def test_my_assignments_in_constant_queries(size: int, platform: Platform, django_assert_num_queries: Any) -> None:
    alice = worker(platform, "Alice")
    for i in range(size):
        assignment = AssignmentFactory(
            deployment=deployment_in(platform, State.INTEGRATION), profile=alice, start_date=date(2026, 9, 1)
        )
        AssignmentSlot.objects.create(assignment=assignment, weekday=i % 7, part="morning")
        ReviewFactory(deployment=assignment.deployment, planned_on=date(2026, 12, 14))
    client = signed_in(alice)
    client.get("/mes-affectations/")
    with django_assert_num_queries(13):
        response = client.get("/mes-affectations/")
    assert text(response).count("Prochain point de suivi") == size


# ---- Requested half-days on the request


def test_a_request_records_its_half_days(platform: Platform, client_as: Any) -> None:
    organisation = Organisation.objects.create(
        platform=platform, name="CMP Test", sector="psychiatric_hospital", commune=lyon()
    )
    membership, _ = partner_of(platform, organisation)
    client = login_client(Client(), membership)
    form = text(client.get("/demandes/nouvelle/"))
    assert "Demi-journées souhaitées" in form and 'value="1:morning"' in form
    data = {
        "kind": "long_deployment",
        "team": "",
        "expected_hours": "7",
        "rhythm": "",
        "start_date": "2027-02-01",
        "end_date": "",
        "needs": "Accueillir un pair aidant.",
        "requested_slots": ["3:afternoon", "1:morning"],
    }
    response = client.post("/demandes/nouvelle/", data, follow=True)
    deployment = Deployment.objects.get()
    assert deployment.requested_slots == ["1:morning", "3:afternoon"]
    assert "mardi matin, jeudi après-midi" in text(response)
    page = text(client.post("/demandes/nouvelle/", {**data, "requested_slots": ["8:noon"], "rhythm": "Le mardi"}))
    assert "Choisissez des demi-journées de la semaine." in page and 'value="Le mardi"' in page
    assert Deployment.objects.count() == 1
