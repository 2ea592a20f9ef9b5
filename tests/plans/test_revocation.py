"""Withdrawing one share and revoking the whole plan take effect at once, even for a browser that
already typed the code; only the person and the peer workers writing with them may do it."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.plans.models import CrisisPlan, PlanShare, PlanStatus
from pairs.plans.views.sharing import shares_context
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import finalise, make_plan, share
from tests.plans.test_share_link import WARNING_SIGNS, assert_reveals_nothing, link, send_code
from tests.plans.test_sharing import facilitator_client, form_data, owner_plan, request_of, said, text


def withdraw_url(item: PlanShare) -> str:
    return f"/plans/partages/{item.pk}/retirer/"


def revoke_url(plan: CrisisPlan) -> str:
    return f"/plans/{plan.pk}/revoquer/"


def verified_reader(item: PlanShare) -> Client:
    """A recipient's browser that typed the right code and reads the document."""
    reader = Client()
    reader.post(link(item), {"action": "check", "code": send_code(reader, item)})
    assert WARNING_SIGNS in text(reader.get(link(item)))
    return reader


# ---- One share


def test_withdrawing_a_share_stops_the_link_at_once(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    item = share(plan)
    reader = verified_reader(item)
    response = client.post(withdraw_url(item))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#partages"
    assert said(response) == "Le partage avec Inès Garnier est retiré : le lien ne fonctionne plus."
    item.refresh_from_db()
    assert item.revoked_at is not None
    assert_reveals_nothing(reader.get(link(item)), item)
    assert_reveals_nothing(Client().get(link(item)), item)
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="plans.planshare", object_id=str(item.pk))
    assert entry.fields == ["revoked_at"] and entry.platform == platform
    # Withdrawing again changes nothing.
    revoked_at = item.revoked_at
    client.post(withdraw_url(item))
    item.refresh_from_db()
    assert item.revoked_at == revoked_at


def test_withdrawing_one_share_leaves_the_others(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    kept, withdrawn = share(plan, version, code_required=False), share(plan, version, code_required=False)
    client.post(withdraw_url(withdrawn))
    assert WARNING_SIGNS in text(Client().get(link(kept)))
    assert Client().get(link(withdrawn)).status_code == 410


def test_the_facilitator_withdraws_a_share(platform: Platform) -> None:
    _client, _person, plan = owner_plan(platform)
    item = share(plan)
    client, _peer = facilitator_client(plan)
    assert client.post(withdraw_url(item)).status_code == 302
    item.refresh_from_db()
    assert item.revoked_at is not None


def test_who_may_withdraw_a_share(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _person, plan = owner_plan(platform)
    item = share(plan)
    assert client.get(withdraw_url(item)).status_code == 405
    for role in (Role.COORDINATOR, Role.PARTNER_CONTACT, Role.FUNDER):
        other, _membership = client_as(role, platform)
        assert other.post(withdraw_url(item)).status_code == 403, role
    stranger = login_client(Client(), PeerProfileFactory(membership__platform=platform).membership)
    assert stranger.post(withdraw_url(item)).status_code == 404
    someone, _membership = client_as(Role.PERSON, platform)
    assert someone.post(withdraw_url(item)).status_code == 404
    elsewhere, _membership = client_as(Role.PERSON, other_platform)
    assert elsewhere.post(withdraw_url(item)).status_code == 404
    elsewhere_share = share(make_plan(other_platform))
    assert client.post(withdraw_url(elsewhere_share)).status_code == 404
    item.refresh_from_db()
    elsewhere_share.refresh_from_db()
    assert item.revoked_at is None and elsewhere_share.revoked_at is None


# ---- The whole plan


def test_revoking_the_plan_ends_every_link(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    first, second = share(plan, version), share(plan, version, code_required=False)
    share(plan, version, revoked_at=timezone.now())
    CrisisPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SHARED, shared_with_team=True)
    reader = verified_reader(first)

    page = text(client.get(revoke_url(plan)))
    assert "Les 2 liens de partage encore actifs cesseront de fonctionner tout de suite." in page
    assert "La personne pourra toujours le lire et l'exporter." in page
    plan.refresh_from_db()
    assert plan.revoked_at is None  # a GET only asks

    response = client.post(revoke_url(plan))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#partages"
    assert said(response) == "Le plan est révoqué. Tous les liens de partage ont cessé de fonctionner."
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVOKED and plan.revoked_at is not None and not plan.shared_with_team
    assert not PlanShare.objects.filter(plan=plan, revoked_at=None).exists()
    assert_reveals_nothing(reader.get(link(first)), first)
    assert_reveals_nothing(Client().get(link(second)), second)

    entries = JournalEntry.objects.filter(action=Action.UPDATE, platform=platform)
    assert entries.get(object_type="plans.crisisplan").fields == ["revoked_at", "shared_with_team", "status"]
    assert entries.filter(object_type="plans.planshare").count() == 2

    # Nobody shares it again; revoking twice only says so.
    response = client.post(f"/plans/{plan.pk}/partages/", form_data(version=version.pk))
    assert response.status_code == 302 and not PlanShare.objects.filter(plan=plan, revoked_at=None).exists()
    response = client.post(revoke_url(plan))
    assert said(response).endswith("Ce plan est déjà révoqué.")
    context = shares_context(request_of(client), plan)
    assert context["plan_is_revoked"] and not context["plan_can_revoke"] and not context["share_can_add"]


def test_the_facilitator_revokes_the_plan(platform: Platform) -> None:
    _client, _person, plan = owner_plan(platform)
    item = share(plan, code_required=False)
    client, _peer = facilitator_client(plan)
    page = text(client.get(revoke_url(plan)))
    assert "Le lien de partage encore actif cessera de fonctionner tout de suite." in page
    client.post(revoke_url(plan))
    assert Client().get(link(item)).status_code == 410


def test_who_may_revoke_the_plan(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _person, plan = owner_plan(platform)
    assert "Aucun lien de partage n'est actif en ce moment" in text(client.get(revoke_url(plan)))
    for role in (Role.COORDINATOR, Role.PARTNER_CONTACT, Role.FUNDER):
        other, _membership = client_as(role, platform)
        assert other.get(revoke_url(plan)).status_code == 403, role
        assert other.post(revoke_url(plan)).status_code == 403, role
    stranger = login_client(Client(), PeerProfileFactory(membership__platform=platform).membership)
    assert stranger.post(revoke_url(plan)).status_code == 404
    elsewhere = login_client(Client(), PeerProfileFactory(membership__platform=other_platform).membership)
    assert elsewhere.post(revoke_url(plan)).status_code == 404
    plan.refresh_from_db()
    assert plan.revoked_at is None and plan.status != PlanStatus.REVOKED
