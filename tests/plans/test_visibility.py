"""Who reads what: coordinators see that a plan exists and its status, its content only when the
person shared it with the platform team; the person and the peer workers writing with them read
it; another peer worker gets 404. Every reading by someone else than the person is journaled.
The list, the person's own entry point, the settings."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pairs.journal.models import Action, JournalEntry
from pairs.plans.models import CrisisPlan, PlanSettings, PlanStatus, PlanVersion
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import finalise, make_plan
from tests.plans.test_editor import Cast, cast, owner_of, text
from tests.support.factories import person_of

SECRET = "Je dors moins de quatre heures"  # from the sample content
CHANGED = {"warning_signs": {"text": "Je ne sors plus."}, "notes": {"text": "Un autre mot."}}


def finalised_twice(platform: Platform) -> tuple[Cast, PlanVersion]:
    c = cast(platform)
    finalise(c.plan)
    latest = finalise(c.plan, content=CHANGED | {"warning_signs": {"text": SECRET}})
    return c, latest


def urls(c: Cast, version: PlanVersion) -> list[str]:
    return [f"/plans/{c.plan.pk}/", f"/plans/{c.plan.pk}/versions/{version.pk}/", f"/plans/{c.plan.pk}/comparer/"]


def version_views(version: PlanVersion) -> int:
    return JournalEntry.objects.filter(
        action=Action.VIEW, object_type="plans.planversion", object_id=str(version.pk)
    ).count()


def test_a_coordinator_sees_the_status_but_not_the_content(platform: Platform, client_as: Any) -> None:
    c, version = finalised_twice(platform)
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    for url in urls(c, version):
        response = coordinator.get(url)
        page = text(response)
        assert response.status_code == 200, url
        assert SECRET not in page and "Claire Martin" not in page and "Un autre mot" not in page, url
        assert "sauf si la personne choisit de le partager avec l'équipe de la plateforme" in page
    page = text(coordinator.get(f"/plans/{c.plan.pk}/"))
    assert "Finalisé" in page and c.person.pseudonym in page and "Version 2" in page
    assert "Rédiger" not in page and f"/plans/{c.plan.pk}/rediger/" not in page
    assert version_views(version) == 0


def test_shared_with_the_team_a_coordinator_reads_it(platform: Platform, client_as: Any) -> None:
    c, version = finalised_twice(platform)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(shared_with_team=True)
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    for url in urls(c, version):
        assert SECRET in text(coordinator.get(url)), url
    assert version_views(version) == 3
    assert "Rédiger" not in text(coordinator.get(f"/plans/{c.plan.pk}/"))


def test_the_person_and_the_peer_worker_read_it(platform: Platform) -> None:
    c, version = finalised_twice(platform)
    for url in urls(c, version):
        assert SECRET in text(c.owner.get(url)), url
    assert version_views(version) == 0  # the person reading their own plan is not journaled
    for url in urls(c, version):
        assert SECRET in text(c.peer.get(url)), url
    assert version_views(version) == 3
    assert "Rédiger" in text(c.peer.get(f"/plans/{c.plan.pk}/"))


def test_another_peer_worker_gets_404(platform: Platform) -> None:
    c, version = finalised_twice(platform)
    stranger = login_client(Client(), PeerProfileFactory(membership__platform=platform).membership)
    for url in [*urls(c, version), f"/plans/{c.plan.pk}/rediger/", f"/plans/{c.plan.pk}/finaliser/"]:
        assert stranger.get(url).status_code == 404, url
    other_person = login_client(Client(), MembershipFactory(platform=platform, role=Role.PERSON))
    assert other_person.get(f"/plans/{c.plan.pk}/").status_code == 404


def test_the_person_shares_with_the_team_and_stops(platform: Platform, client_as: Any) -> None:
    c, _version = finalised_twice(platform)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/"))
    assert "Partager avec l'équipe de la plateforme" in page
    assert "Partager avec l'équipe de la plateforme</button>" not in text(c.peer.get(f"/plans/{c.plan.pk}/"))

    response = c.owner.post(f"/plans/{c.plan.pk}/", {"action": "team_share", "team_share": "on"})
    assert response["Location"] == f"/plans/{c.plan.pk}/#equipe"
    c.plan.refresh_from_db()
    assert c.plan.shared_with_team
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="plans.crisisplan")
    assert entry.fields == ["shared_with_team"]
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    assert SECRET in text(coordinator.get(f"/plans/{c.plan.pk}/"))

    c.owner.post(f"/plans/{c.plan.pk}/", {"action": "team_share", "team_share": "off"})
    c.plan.refresh_from_db()
    assert not c.plan.shared_with_team
    assert SECRET not in text(coordinator.get(f"/plans/{c.plan.pk}/"))
    # Only the person decides.
    assert c.peer.post(f"/plans/{c.plan.pk}/", {"action": "team_share", "team_share": "on"}).status_code == 403
    assert coordinator.post(f"/plans/{c.plan.pk}/", {"action": "team_share", "team_share": "on"}).status_code == 403
    c.plan.refresh_from_db()
    assert not c.plan.shared_with_team


# ---- The list


def test_the_list_shows_status_never_content(platform: Platform, client_as: Any) -> None:
    c, _version = finalised_twice(platform)
    other = make_plan(platform)
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    page = text(coordinator.get("/plans/"))
    assert c.person.pseudonym in page and other.person.pseudonym in page
    assert "Version 2 du" in page and "Finalisé" in page and "Brouillon" in page
    assert SECRET not in page and "Claire Martin" not in page
    filtered = text(coordinator.get("/plans/?etat=draft"))
    assert other.person.pseudonym in filtered and c.person.pseudonym not in filtered

    mine = text(c.peer.get("/plans/"))
    assert c.person.pseudonym in mine and other.person.pseudonym not in mine


def test_the_list_does_not_grow_in_queries(
    platform: Platform, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    finalise(make_plan(platform))
    coordinator.get("/plans/")  # warm the session and caches
    with django_assert_max_num_queries(40) as small:
        assert coordinator.get("/plans/").status_code == 200
    for _ in range(6):
        plan = make_plan(platform, shared_with_team=True)
        finalise(plan)
        finalise(plan)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert coordinator.get("/plans/").status_code == 200


# ---- The person's entry points


def test_my_plan_leads_the_person_to_their_plan(platform: Platform) -> None:
    c = cast(platform)
    response = c.owner.get("/mon-plan/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{c.plan.pk}/"
    space = text(c.owner.get("/mon-accompagnement/"))
    assert "Mon plan de crise" in space and 'href="/mon-plan/"' in space
    page = text(c.owner.get(f"/plans/{c.plan.pk}/"))
    assert "<h1>Mon plan de crise</h1>" in page and "Rédiger" in page


def test_without_a_plan_the_person_gets_a_kind_page(platform: Platform, client_as: Any) -> None:
    person = person_of(platform)
    client = owner_of(person)
    page = text(client.get("/mon-plan/"))
    assert "Vous n'avez pas encore de plan de crise." in page
    assert "Il n'oblige pas légalement les professionnel·les" in page
    assert "personne de confiance" in page
    unlinked, _membership = client_as(Role.PERSON, platform)
    assert "Votre espace n'est pas encore relié à un accompagnement." in text(unlinked.get("/mon-plan/"))
    worker, _membership = client_as(Role.PEER_WORKER, platform)
    assert worker.get("/mon-plan/")["Location"] == "/plans/"


def test_a_revoked_plan_stays_readable_by_the_person(platform: Platform) -> None:
    from django.utils import timezone

    c, _version = finalised_twice(platform)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    assert c.owner.get("/mon-plan/")["Location"] == f"/plans/{c.plan.pk}/"
    page = text(c.owner.get(f"/plans/{c.plan.pk}/"))
    assert SECRET in page and "Révoqué" in page and "Rédiger" not in page


# ---- Settings


def test_the_coordinator_sets_the_delays(platform: Platform, client_as: Any) -> None:
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    page = text(coordinator.get("/plans/reglages/"))
    assert 'value="12"' in page and 'value="90"' in page
    refused = coordinator.post("/plans/reglages/", {"review_months": "40", "share_days": "0"})
    assert refused.status_code == 200 and not PlanSettings.objects.exists()
    coordinator.post("/plans/reglages/", {"review_months": "6", "share_days": "30"})
    saved = PlanSettings.objects.get(platform=platform)
    assert (saved.review_months, saved.share_days) == (6, 30)
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="plans.plansettings").exists()
    coordinator.post("/plans/reglages/", {"review_months": "9", "share_days": "30"})
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="plans.plansettings")
    assert entry.fields == ["review_months"]
    worker, _membership = client_as(Role.PEER_WORKER, platform)
    assert worker.get("/plans/reglages/").status_code == 403


def test_after_a_revoked_plan_my_plan_leads_to_the_new_one(platform: Platform) -> None:
    from django.utils import timezone

    c = cast(platform)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    response = c.peer.post(f"/accompagnement/personnes/{c.person.pk}/plan/")
    new = CrisisPlan.objects.exclude(pk=c.plan.pk).get(person=c.person)
    assert response["Location"] == f"/plans/{new.pk}/rediger/"
    assert c.owner.get("/mon-plan/")["Location"] == f"/plans/{new.pk}/"
    assert c.owner.get("/plans/")["Location"] == "/mon-plan/"
