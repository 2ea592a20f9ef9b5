"""The pool list, adding a peer worker, a profile and the contract edit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import Onboarding, OnboardingStepTemplate, PeerProfile, PeerStatus, Skill
from pairs.peers.services.catalogues import catalogues_seed
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.peers.factories import ActivityEntryFactory
from tests.peers.factories_profiles import GRENOBLE, LYON, VILLEFRANCHE, SkillFactory, peer, place

POOL = "/vivier/"
CREATE = "/vivier/ajouter/"


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


# ---- Who may see the pool


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER, Role.PEER_WORKER])
@pytest.mark.parametrize("url", [POOL, CREATE, "/vivier/disponibles/", "/vivier/parametres/"])
def test_pool_pages_are_refused_to_other_roles(role: Role, url: str, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    response = client.get(url)
    assert response.status_code == 403
    assert JournalEntry.objects.filter(action=Action.PERMISSION_DENIED, platform=platform).exists()


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER])
def test_a_profile_is_refused_to_other_roles(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    assert client.get(f"/vivier/{peer(platform).pk}/").status_code == 403


# ---- The pool list


def test_pool_list_shows_workers_hours_and_alerts(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform, home_commune=place(VILLEFRANCHE), membership__user__first_name="Zoé")
    worker.skills.add(SkillFactory(platform=platform, name="Écoute"))
    ActivityEntryFactory(profile=worker, day=timezone.localdate(), duration_minutes=150)
    left = peer(platform, status_end=timezone.localdate() - timedelta(days=10), membership__user__first_name="Yann")
    peer(other_platform, membership__user__first_name="Ailleurs")

    text = body(client.get(POOL))
    assert "Vivier des pairs aidant·es" in text
    assert "Zoé" in text and "Yann" in text and "Ailleurs" not in text
    assert "Villefranche-sur-Saône" in text and "Écoute" in text
    assert "2,5 h" in text  # 150 minutes logged this week
    assert "1 alerte" in text  # no supervision recorded yet
    assert f"sorti·e le {left.status_end:%d/%m/%Y}" in text
    assert reverse("peers:detail", kwargs={"profile_id": worker.pk}) in text


def test_pool_list_filters(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    skill = SkillFactory(platform=platform, name="Parentalité")
    a = peer(platform, home_commune=place(VILLEFRANCHE), membership__user__first_name="Alix")
    a.skills.add(skill)
    peer(
        platform,
        home_commune=place(LYON),
        status=PeerStatus.VOLUNTEER,
        membership__user__first_name="Basile",
    )
    peer(platform, status_end=timezone.localdate() - timedelta(days=1), membership__user__first_name="Camille")

    def names(query: str) -> set[str]:
        text = body(client.get(f"{POOL}?{query}"))
        return {name for name in ("Alix", "Basile", "Camille") if name in text}

    assert names("") == {"Alix", "Basile", "Camille"}
    assert names(f"skill={skill.pk}") == {"Alix"}
    assert names("status=volunteer") == {"Basile"}
    assert names("q=villefranche") == {"Alix"}
    assert names("state=active") == {"Alix", "Basile"}
    assert names("state=left") == {"Camille"}


@pytest.mark.parametrize("rows", [1, 30])
def test_pool_list_query_count_is_constant(
    rows: int, platform: Platform, client_as: Any, django_assert_num_queries: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    skills = [SkillFactory(platform=platform, name=f"Compétence {i}") for i in range(3)]
    home = place(VILLEFRANCHE)
    today = timezone.localdate()
    for _i in range(rows):
        worker = peer(platform, home_commune=home)
        worker.skills.set(skills)
        ActivityEntryFactory(profile=worker, day=today)
    # session, user, memberships, second factor, scope set, count, page, skills (prefetch), the
    # week's indicators (one query for the page), the thresholds, the skill filter's choices,
    # scope clear, the session save (3).
    with django_assert_num_queries(15):
        response = client.get(POOL)
    assert response.status_code == 200
    assert body(response).count("/vivier/") >= rows


# ---- Adding a peer worker


def _create_data(platform: Platform, **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Inès",
        "last_name": "",
        "email": "ines.nouvelle@test.example",
        "status": PeerStatus.SALARIED,
        "status_start": timezone.localdate().isoformat(),
        "contract_hours": "17,5",
        "home_commune": place(VILLEFRANCHE).pk,
        "tutor": "",
    }
    data.update(overrides)
    return data


def test_create_with_tutor_starts_onboarding_and_queues_the_invitation(platform: Platform, client_as: Any) -> None:
    catalogues_seed(platform=platform)
    client, _ = client_as(Role.COORDINATOR, platform)
    tutor = peer(platform, membership__user__first_name="Tutrice")
    templates = list(OnboardingStepTemplate.objects.filter(platform=platform))
    assert templates

    response = client.post(CREATE, _create_data(platform, tutor=tutor.pk, start_onboarding="on"))

    profile = PeerProfile.objects.get(membership__user__email="ines.nouvelle@test.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("peers:detail", kwargs={"profile_id": profile.pk})
    assert profile.platform == platform and profile.membership.role == Role.PEER_WORKER
    assert profile.contract_hours == Decimal("17.5")
    assert profile.home_commune_id == VILLEFRANCHE[0]
    onboarding = Onboarding.objects.get(profile=profile)
    assert onboarding.tutor == tutor
    steps = list(onboarding.steps.order_by("position", "id"))
    assert [s.title for s in steps] == [t.title for t in templates]
    assert [s.due_on for s in steps] == [onboarding.started_on + timedelta(days=t.due_after_days) for t in templates]
    email = OutgoingEmail.objects.get(to="ines.nouvelle@test.example")
    assert email.kind == "invitation" and email.platform == platform
    created = set(
        JournalEntry.objects.filter(platform=platform, action=Action.CREATE).values_list("object_type", flat=True)
    )
    assert {"peers.peerprofile", "peers.onboarding", "platforms.membership"} <= created
    page = body(client.get(response["Location"]))
    assert "Inès est ajouté·e au vivier" in page


def test_create_without_onboarding_needs_no_tutor(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(CREATE, _create_data(platform, contract_hours="0", status=PeerStatus.VOLUNTEER))
    assert response.status_code == 302
    profile = PeerProfile.objects.get(membership__user__email="ines.nouvelle@test.example")
    assert not Onboarding.objects.filter(profile=profile).exists()


def test_create_onboarding_without_tutor_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(CREATE, _create_data(platform, start_onboarding="on"))
    assert response.status_code == 200
    assert "Choisissez un tuteur ou une tutrice" in body(response)
    assert not PeerProfile.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_tutor_without_the_onboarding_is_not_dropped_silently(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    tutor = peer(platform)
    response = client.post(CREATE, _create_data(platform, tutor=tutor.pk))
    assert response.status_code == 200
    assert "cochez cette case, ou retirez le choix" in body(response)
    assert PeerProfile.objects.count() == 1


def test_create_duplicate_is_refused_and_nothing_saved(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    existing = peer(platform, membership__user__email="deja@test.example")
    before = (PeerProfile.objects.count(), Membership.objects.count())

    response = client.post(CREATE, _create_data(platform, email="Deja@Test.example", first_name="Autre"))

    assert response.status_code == 200
    text = body(response)
    assert "Cette personne est déjà pair aidant·e sur la plateforme." in text
    assert 'value="Autre"' in text  # what was typed is kept
    assert (PeerProfile.objects.count(), Membership.objects.count()) == before
    assert not OutgoingEmail.objects.filter(to=existing.membership.user.email).exists()


def test_create_refuses_a_commune_outside_the_platform_and_bad_hours(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(CREATE, _create_data(platform, home_commune=place(GRENOBLE).pk, contract_hours="60"))
    assert response.status_code == 200
    assert not PeerProfile.objects.exists()
    assert "48" in body(response)


# ---- A profile


def test_coordinator_sees_a_profile_and_the_view_is_journaled(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(
        platform,
        home_commune=place(VILLEFRANCHE),
        languages=["français", "arabe"],
        presentation="Bonjour, je suis là pour vous.",
        presentation_published=True,
        experiential_themes="",
    )
    text = body(client.get(f"/vivier/{worker.pk}/"))
    assert worker.membership.user.display_name in text
    assert "français, arabe" in text and "Publiée" in text
    assert "Thèmes d'expérience" not in text  # empty: not shown
    assert reverse("peers:peer_activity", kwargs={"profile_id": worker.pk}) in text
    assert reverse("peers:edit_contract", kwargs={"profile_id": worker.pk}) in text
    for name in ("onboarding", "trainings", "career_reviews"):
        assert reverse(f"peers:{name}", kwargs={"profile_id": worker.pk}) in text
    assert JournalEntry.objects.filter(
        action=Action.VIEW, object_type="peers.peerprofile", object_id=str(worker.pk)
    ).exists()


def test_peer_worker_sees_own_profile_but_not_a_colleague(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    mine = peer(platform, membership=membership, experiential_themes="Vivre avec des voix.")
    colleague = peer(platform)

    text = body(client.get(f"/vivier/{mine.pk}/"))
    assert "Ma fiche" in text and "Vivre avec des voix." in text
    assert reverse("peers:my_week") in text and reverse("peers:my_profile") in text
    assert reverse("peers:peer_activity", kwargs={"profile_id": mine.pk}) not in text
    assert client.get(f"/vivier/{colleague.pk}/").status_code == 404


def test_profile_of_another_platform_is_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get(f"/vivier/{peer(other_platform).pk}/").status_code == 404


# ---- The contract edit


def _contract_data(profile: PeerProfile, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": profile.status,
        "status_start": profile.status_start.isoformat(),
        "status_end": "",
        "contract_hours": str(profile.contract_hours),
        "home_commune": profile.home_commune_id or "",
        "zones": [],
        "skills": [],
    }
    data.update(overrides)
    return data


def test_contract_edit_is_journaled_with_field_names(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform, home_commune=place(VILLEFRANCHE), presentation="Ma présentation.")
    skill = SkillFactory(platform=platform, name="Écoute")
    lyon = place(LYON)
    url = f"/vivier/{worker.pk}/contrat/"
    assert "Statut et contrat de" in body(client.get(url))

    data = _contract_data(
        worker,
        contract_hours="28",
        zones=[lyon.pk, VILLEFRANCHE[0]],
        skills=[skill.pk],
        presentation_published="on",
    )
    response = client.post(url, data)

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.contract_hours == Decimal("28") and worker.presentation_published
    assert {c.pk for c in worker.zones.all()} == {lyon.pk, VILLEFRANCHE[0]}
    assert list(worker.skills.all()) == [skill]
    entry = JournalEntry.objects.filter(action=Action.UPDATE, object_type="peers.peerprofile").latest("id")
    assert entry.fields == ["contract_hours", "presentation_published", "skills", "zones"]
    assert entry.object_id == str(worker.pk) and entry.platform == platform


def test_contract_end_before_start_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    start = worker.status_start
    response = client.post(
        f"/vivier/{worker.pk}/contrat/",
        _contract_data(worker, status_end=(start - timedelta(days=1)).isoformat(), contract_hours="30"),
    )
    assert response.status_code == 200
    assert "La date de fin doit être le même jour que le début, ou après." in body(response)
    worker.refresh_from_db()
    assert worker.status_end is None and worker.contract_hours == Decimal("24")


def test_ending_a_status_keeps_the_history(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform)
    ActivityEntryFactory(profile=worker, day=timezone.localdate() - timedelta(days=3))
    end = timezone.localdate() - timedelta(days=1)
    response = client.post(f"/vivier/{worker.pk}/contrat/", _contract_data(worker, status_end=end.isoformat()))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.status_end == end and worker.activities.count() == 1
    assert "Sorti·e du vivier" in body(client.get(f"/vivier/{worker.pk}/"))


def test_publishing_an_empty_presentation_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    worker = peer(platform, presentation="")
    response = client.post(f"/vivier/{worker.pk}/contrat/", _contract_data(worker, presentation_published="on"))
    assert response.status_code == 200
    assert "La présentation est vide" in body(response)
    worker.refresh_from_db()
    assert not worker.presentation_published


def test_contract_edit_is_refused_to_the_worker(platform: Platform, client_as: Any) -> None:
    client, membership = client_as(Role.PEER_WORKER, platform)
    mine = peer(platform, membership=membership)
    assert client.get(f"/vivier/{mine.pk}/contrat/").status_code == 403


# ---- The settings


def test_pool_settings_row_created_on_first_save(platform: Platform, client_as: Any) -> None:
    from pairs.peers.models import PoolSettings

    client, _ = client_as(Role.COORDINATOR, platform)
    text = body(client.get("/vivier/parametres/"))
    assert "Paramètres du vivier" in text and 'value="110"' in text
    assert not PoolSettings.objects.filter(platform=platform).exists()

    data = {
        "form": "thresholds",
        "seuils-max_workplaces_per_week": "4",
        "seuils-max_hours_ratio_percent": "120",
        "seuils-max_weeks_without_supervision": "6",
    }
    assert client.post("/vivier/parametres/", data).status_code == 302
    row = PoolSettings.objects.get(platform=platform)
    assert (row.max_workplaces_per_week, row.max_hours_ratio_percent) == (4, 120)

    data["seuils-max_hours_ratio_percent"] = "1000"
    response = client.post("/vivier/parametres/", data)
    assert response.status_code == 200 and "300" in body(response)
    row.refresh_from_db()
    assert row.max_hours_ratio_percent == 120


def test_skill_add_and_duplicate_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post("/vivier/parametres/", {"form": "skill", "competence-name": "  Médiation  numérique "})
    assert response.status_code == 302
    assert Skill.objects.filter(platform=platform, name="Médiation numérique").exists()
    response = client.post("/vivier/parametres/", {"form": "skill", "competence-name": "médiation numérique"})
    assert response.status_code == 200
    assert "Cette compétence existe déjà dans le catalogue." in body(response)
    assert Skill.objects.filter(platform=platform).count() == 1
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="peers.skill").count() == 1


def test_a_peer_worker_role_given_from_accounts_gets_its_profile_here(platform: Any, client_as: Any) -> None:
    from pairs.peers.models import PeerProfile
    from pairs.platforms.roles import Role as R
    from tests.factories import MembershipFactory

    client, _ = client_as(R.COORDINATOR, platform)
    role_only = MembershipFactory(platform=platform, role=R.PEER_WORKER)
    response = client.post(
        "/vivier/ajouter/",
        {
            "first_name": "Sam",
            "last_name": "",
            "email": role_only.user.email,
            "status": "salaried",
            "status_start": "2026-01-05",
            "contract_hours": "24",
        },
        follow=True,
    )
    assert response.status_code == 200
    profile = PeerProfile.objects.get(membership=role_only)
    assert profile.contract_hours == 24
