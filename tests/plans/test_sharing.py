"""Sharing a finalised version: who may share, what is asked, what is saved, sent and journaled; the
shares part of the plan page with the accesses in words."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.peers.models import PeerProfile
from pairs.plans.models import (
    AccessOutcome,
    CrisisPlan,
    PlanAccess,
    PlanSettings,
    PlanShare,
    PlanStatus,
    RecipientKind,
)
from pairs.plans.views.sharing import shares_context
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Person
from tests.conftest import login_client
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import SAMPLE, finalise, plan_for, share
from tests.support.factories import person_of

PARIS = ZoneInfo("Europe/Paris")


def text(response: Any) -> str:
    """The page as read (entities decoded)."""
    return html.unescape(response.content.decode())


def owner_plan(platform: Platform, **kwargs: Any) -> tuple[Client, Person, CrisisPlan]:
    """A signed-in person (role "person") with their plan."""
    membership = MembershipFactory(platform=platform, role=Role.PERSON)
    person = person_of(platform, membership=membership)
    return login_client(Client(), membership), person, plan_for(person, **kwargs)


def facilitator_client(plan: CrisisPlan) -> tuple[Client, PeerProfile]:
    peer = plan.facilitator
    assert peer is not None
    return login_client(Client(), peer.membership), peer


def add_url(plan: CrisisPlan) -> str:
    return f"/plans/{plan.pk}/partages/"


def form_data(**extra: Any) -> dict[str, Any]:
    return {
        "recipient_kind": RecipientKind.PROFESSIONAL,
        "name": "Inès Garnier",
        "role": "Infirmière",
        "service": "CMP Villeurbanne",
        "email": "ines.garnier@exemple.org",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "code_required": "on",
        **extra,
    }


def said(response: Any) -> str:
    """The messages shown on the next page."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def input_tag(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def request_of(client: Client) -> Any:
    return client.get("/").wsgi_request


# ---- Creating a share


def test_the_person_shares_the_latest_finalised_version(platform: Platform) -> None:
    client, person, plan = owner_plan(platform)
    finalise(plan)
    latest = finalise(plan, {"warning_signs": {"text": "Deuxième version."}})
    page = text(client.get(add_url(plan)))
    assert f'<option value="{latest.pk}" selected>Version 2 du' in page
    default = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert f'value="{default}"' in page and " checked" in input_tag(page, "code_required")

    response = client.post(add_url(plan), form_data(version=latest.pk))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#partages"
    created = PlanShare.objects.get()
    assert created.version == latest and created.code_required and created.name == "Inès Garnier"
    assert person.membership is not None
    assert len(created.token) >= 43 and created.created_by == person.membership.user
    last_day = timezone.localdate() + timedelta(days=30)
    assert timezone.localtime(created.expires_at).date() == last_day + timedelta(days=1)
    assert timezone.localtime(created.expires_at).hour == 0
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED
    context = shares_context(request_of(client), plan)
    page = html.unescape(render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client)))
    assert f"Actif jusqu'au {date_format(last_day, 'j F Y')}" in page

    email = OutgoingEmail.objects.get(kind="plan_share_link")
    assert email.to == "ines.garnier@exemple.org" and email.platform == platform
    assert f"/plan-partage/{created.token}/" in email.body
    assert "Une personne que vous accompagnez" in email.body and "code à usage unique" in email.body
    for secret in (person.pseudonym, "Claire Martin", "quatre heures", "Inès", "Garnier"):
        assert secret not in email.body and secret not in email.subject

    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="plans.planshare")
    assert entry.platform == platform and "name" in entry.fields and "email" in entry.fields
    assert "Garnier" not in entry.detail


def test_the_facilitating_peer_worker_shares_without_a_code(platform: Platform) -> None:
    _client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    client, peer = facilitator_client(plan)
    data = form_data(version=version.pk, recipient_kind=RecipientKind.TRUSTED_PERSON, role="", service="")
    del data["code_required"]
    assert client.post(add_url(plan), data).status_code == 302
    created = PlanShare.objects.get()
    assert not created.code_required and created.recipient_kind == RecipientKind.TRUSTED_PERSON
    assert created.created_by == peer.membership.user
    body = OutgoingEmail.objects.get(kind="plan_share_link").body
    assert "Une personne qui vous fait confiance" in body and "code à usage unique" not in body


def test_the_default_expiry_follows_the_platform_settings(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    finalise(plan)
    PlanSettings.objects.create(platform=platform, share_days=14)
    default = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert f'value="{default}"' in text(client.get(add_url(plan)))


def test_bad_input_is_refused_in_french(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    other_version = finalise(plan_for(person_of(platform)))
    today = timezone.localdate()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": "", "email": ""}, "Indiquez le nom de la personne qui recevra le lien."),
        ({"email": ""}, "Indiquez l'adresse e-mail à laquelle envoyer le lien."),
        ({"email": "pas-une-adresse"}, "Indiquez une adresse e-mail valide"),
        ({"expires_on": (today - timedelta(days=1)).isoformat()}, "La date de fin doit être aujourd'hui ou plus tard."),
        ({"expires_on": (today + timedelta(days=731)).isoformat()}, "Un lien dure deux ans au plus"),
        ({"version": other_version.pk}, "Choisissez une version finalisée de ce plan."),
        ({"recipient_kind": "voisin"}, "Choisissez avec qui vous partagez le plan."),
    ]
    for extra, message in cases:
        response = client.post(add_url(plan), form_data(**{"version": version.pk, **extra}))
        assert response.status_code == 200 and message in text(response), message
    assert not PlanShare.objects.exists() and not OutgoingEmail.objects.exists()
    assert client.post(add_url(plan), form_data(version=version.pk, expires_on=today.isoformat())).status_code == 302


def test_a_draft_cannot_be_shared(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    response = client.get(add_url(plan))
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/#partages"
    response = client.post(add_url(plan), form_data())
    assert response.status_code == 302
    assert "Finalisez d'abord une version du plan" in said(response)
    assert not PlanShare.objects.exists()


def test_a_revoked_plan_cannot_be_shared(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    CrisisPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    response = client.post(add_url(plan), form_data(version=version.pk))
    assert response.status_code == 302
    assert said(response) == "Ce plan est révoqué : il ne peut plus être partagé."
    assert not PlanShare.objects.exists()


def test_who_may_share(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    _client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    for role in (Role.COORDINATOR, Role.PARTNER_CONTACT, Role.FUNDER):
        client, _membership = client_as(role, platform)
        assert client.get(add_url(plan)).status_code == 403, role
        assert client.post(add_url(plan), form_data(version=version.pk)).status_code == 403, role
    stranger = login_client(Client(), PeerProfileFactory(membership__platform=platform).membership)
    assert stranger.get(add_url(plan)).status_code == 404
    assert stranger.post(add_url(plan), form_data(version=version.pk)).status_code == 404
    other_person, _membership = client_as(Role.PERSON, platform)
    assert other_person.get(add_url(plan)).status_code == 404
    elsewhere = login_client(Client(), PeerProfileFactory(membership__platform=other_platform).membership)
    assert elsewhere.get(add_url(plan)).status_code == 404
    assert not PlanShare.objects.exists()


# ---- The shares on the plan page


def test_the_person_sees_each_access_in_words(platform: Platform) -> None:
    client, person, plan = owner_plan(platform)
    link = share(plan)
    access = PlanAccess.objects.create(share=link, outcome=AccessOutcome.OPENED)
    PlanAccess.objects.filter(pk=access.pk).update(at=datetime(2026, 12, 3, 14, 5, tzinfo=PARIS))
    PlanAccess.objects.create(share=link, outcome=AccessOutcome.CODE_FAILED)
    context = shares_context(request_of(client), plan)
    assert context["share_can_add"] and context["share_can_withdraw"] and context["plan_can_revoke"]
    assert [row.share for row in context["share_rows"]] == [link]
    page = html.unescape(render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client)))
    assert "Partages" in page and "Partager ce plan" in page and "Révoquer le plan" in page
    assert "consulté par Inès Garnier le 3 décembre 2026 à 14 h 05" in page
    assert "code erroné tapé le" in page
    assert "Retirer ce partage" in page and "Actif jusqu'au" in page and "Version 1" in page
    assert person.pseudonym not in page


def test_coordinators_see_the_shares_but_not_who_opened_them(platform: Platform, client_as: Any) -> None:
    _client, _person, plan = owner_plan(platform)
    link = share(plan)
    PlanAccess.objects.create(share=link, outcome=AccessOutcome.OPENED)
    client, _membership = client_as(Role.COORDINATOR, platform)
    context = shares_context(request_of(client), plan)
    assert not context["share_can_add"] and not context["share_can_withdraw"] and not context["plan_can_revoke"]
    assert not context["share_show_accesses"] and context["share_rows"][0].accesses == []
    page = html.unescape(render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client)))
    assert "Inès Garnier" in page and "consulté par" not in page and "Retirer ce partage" not in page
    CrisisPlan.objects.filter(pk=plan.pk).update(shared_with_team=True)
    plan.refresh_from_db()
    context = shares_context(request_of(client), plan)
    assert context["share_show_accesses"] and len(context["share_rows"][0].accesses) == 1


def test_states_in_words(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    now = timezone.now()
    share(plan, version, expires_at=now - timedelta(days=1))
    share(plan, version, revoked_at=now)
    share(plan, version, locked_at=now)
    context = shares_context(request_of(client), plan)
    page = html.unescape(render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client)))
    assert "Expiré le" in page and "Retiré le" in page and "Bloqué après trop de codes erronés le" in page
    assert "Retirer ce partage" not in page  # nothing left to withdraw


def test_the_shares_part_costs_the_same_queries_whatever_the_number(
    platform: Platform, django_assert_max_num_queries: Any
) -> None:
    client, _person, plan = owner_plan(platform)
    version = finalise(plan)
    request = request_of(client)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            context = shares_context(request, plan)
            render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request)
        return len(captured.captured_queries)

    link = share(plan, version)
    PlanAccess.objects.create(share=link, outcome=AccessOutcome.OPENED)
    small = count()
    for _i in range(6):
        more = share(plan, version)
        for outcome in (AccessOutcome.CODE_SENT, AccessOutcome.OPENED, AccessOutcome.OPENED):
            PlanAccess.objects.create(share=more, outcome=outcome)
    assert count() == small
    with django_assert_max_num_queries(small):
        shares_context(request, plan)


def test_the_facilitator_context_and_a_revoked_plan(platform: Platform) -> None:
    _client, _person, plan = owner_plan(platform)
    share(plan)
    client, _peer = facilitator_client(plan)
    assert shares_context(request_of(client), plan)["share_can_withdraw"]
    CrisisPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    plan.refresh_from_db()
    context = shares_context(request_of(client), plan)
    assert not context["share_can_add"] and not context["plan_can_revoke"] and context["plan_is_revoked"]
    page = html.unescape(render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client)))
    assert "Ce plan est révoqué" in page and "Plan révoqué le" in page and "Partager ce plan" not in page


def test_the_content_is_never_in_the_share_rows(platform: Platform) -> None:
    client, _person, plan = owner_plan(platform)
    share(plan)
    context = shares_context(request_of(client), plan)
    page = render_to_string("plans/_shares.html", {**context, "plan": plan}, request=request_of(client))
    for value in ("Claire Martin", "quatre heures", SAMPLE["helps"]["during_helps"]):
        assert value not in html.unescape(page)
