"""Writing the plan: opening it from the person's page, one form per section, autosave that never
loses another section, two sittings, the journal holding section names only, encrypted content."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client

from pairs.journal.models import Action, JournalEntry
from pairs.plans import sections
from pairs.plans.models import CrisisPlan, PlanStatus, PlanVersion
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Person, PersonStatus
from tests.conftest import login_client
from tests.deployments.factories import DeploymentFactory
from tests.factories import MembershipFactory
from tests.peers.factories import PeerProfileFactory
from tests.plans.factories import SAMPLE, finalise, plan_for
from tests.support.factories import person_of

HX = {"HTTP_HX_REQUEST": "true"}


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


@dataclass
class Cast:
    """A person with their own space, their referent peer worker, and the plan between them."""

    person: Person
    owner: Client
    peer: Client
    plan: CrisisPlan


def owner_of(person: Person) -> Client:
    """The person, signed in to their own space (their account linked to their record)."""
    membership = MembershipFactory(platform=person.platform, role=Role.PERSON)
    Person.objects.filter(pk=person.pk).update(membership=membership)
    person.refresh_from_db()
    return login_client(Client(), membership)


def referent_of(person: Person) -> Client:
    assert person.peer is not None
    return login_client(Client(), person.peer.membership)


def cast(platform: Platform, content: dict[str, Any] | None = None) -> Cast:
    person = person_of(platform)
    plan = plan_for(person, content=content)
    return Cast(person, owner_of(person), referent_of(person), plan)


def content_of(plan: CrisisPlan) -> dict[str, Any]:
    draft = PlanVersion.objects.get(plan=plan, number=None)
    return sections.decode(draft.content_encrypted)


def section_url(plan: CrisisPlan, key: str) -> str:
    return f"/plans/{plan.pk}/rediger/{key}/"


# ---- Opening a plan


def test_the_referent_opens_the_plan_from_the_person_page(platform: Platform) -> None:
    person = person_of(platform)
    peer = referent_of(person)
    page = text(peer.get(f"/accompagnement/personnes/{person.pk}/"))
    assert "Plan de crise" in page and f"/accompagnement/personnes/{person.pk}/plan/" in page
    assert "Ouvrir le plan de crise" in text(peer.get(f"/accompagnement/personnes/{person.pk}/plan/"))

    response = peer.post(f"/accompagnement/personnes/{person.pk}/plan/")
    plan = CrisisPlan.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/rediger/"
    assert plan.status == PlanStatus.DRAFT and plan.facilitator == person.peer
    assert plan.platform == platform and plan.deployment is None
    assert content_of(plan) == {}
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="plans.crisisplan").count() == 1

    # One plan per person: opening again leads to the same plan.
    again = peer.post(f"/accompagnement/personnes/{person.pk}/plan/")
    assert again["Location"] == f"/plans/{plan.pk}/"
    assert CrisisPlan.objects.filter(person=person).count() == 1
    assert f"/plans/{plan.pk}/" in text(peer.get(f"/accompagnement/personnes/{person.pk}/"))


def test_a_coordinator_opens_it_for_the_referent_and_a_deployment(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    person = person_of(platform)
    deployment = DeploymentFactory(organisation__platform=platform, state="integration")
    elsewhere = DeploymentFactory(state="integration")
    refused = client.post(f"/accompagnement/personnes/{person.pk}/plan/", {"deployment": elsewhere.pk})
    assert refused.status_code == 200 and not CrisisPlan.objects.exists()

    response = client.post(f"/accompagnement/personnes/{person.pk}/plan/", {"deployment": deployment.pk})
    plan = CrisisPlan.objects.get(person=person)
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert plan.facilitator == person.peer and plan.deployment == deployment


def test_a_worker_who_cannot_see_the_person_cannot_open_it(platform: Platform) -> None:
    person = person_of(platform)
    stranger = PeerProfileFactory(membership__platform=platform)
    client = login_client(Client(), stranger.membership)
    assert client.post(f"/accompagnement/personnes/{person.pk}/plan/").status_code == 404
    assert not CrisisPlan.objects.exists()


def test_no_plan_is_opened_for_a_closed_record(platform: Platform) -> None:
    person = person_of(platform, status=PersonStatus.CLOSED)
    response = referent_of(person).post(f"/accompagnement/personnes/{person.pk}/plan/")
    assert response.status_code == 200
    assert "L'accompagnement de cette personne est clos" in text(response)
    assert not CrisisPlan.objects.exists()


# ---- The editor page


def test_the_editor_has_one_form_per_section_with_help_and_the_notice(platform: Platform) -> None:
    c = cast(platform)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/rediger/"))
    assert page.count("Enregistrer cette partie<span") == len(sections.SECTIONS)  # one button per section
    for section in sections.SECTIONS:
        assert f'action="/plans/{c.plan.pk}/rediger/{section.key}/"' in page
        assert str(section.title) in page
        if section.help:
            assert str(section.help) in page
    assert str(sections.NOT_BINDING) in page
    assert f"3 parties sur {len(sections.SECTIONS)} remplies" in page
    assert 'hx-trigger="input changed delay:1500ms, change"' in page
    assert "Claire Martin" in page  # what was written is in the fields


def test_roles_that_do_not_write_are_refused(platform: Platform, client_as: Any) -> None:
    c = cast(platform)
    coordinator, _membership = client_as(Role.COORDINATOR, platform)
    assert coordinator.get(f"/plans/{c.plan.pk}/rediger/").status_code == 403
    assert coordinator.post(section_url(c.plan, "identity"), {"identity-name": "X"}).status_code == 403
    stranger = login_client(Client(), PeerProfileFactory(membership__platform=platform).membership)
    assert stranger.get(f"/plans/{c.plan.pk}/rediger/").status_code == 404
    assert c.peer.post(section_url(c.plan, "unknown")).status_code == 404


# ---- Saving a section


def test_autosave_merges_the_section_and_keeps_the_others(platform: Platform) -> None:
    c = cast(platform)
    response = c.owner.post(section_url(c.plan, "triggers"), {"triggers-text": "Les bruits forts, les foules."}, **HX)
    page = text(response)
    assert response.status_code == 200
    assert 'role="status"' in page and "Enregistré à " in page
    assert "<html" not in page  # a fragment, not a page
    content = content_of(c.plan)
    assert content["triggers"] == {"text": "Les bruits forts, les foules."}
    for key, value in SAMPLE.items():
        assert content[key] == value


def test_without_javascript_the_save_returns_to_the_section(platform: Platform) -> None:
    c = cast(platform)
    response = c.peer.post(section_url(c.plan, "decide"), {"decide-text": "Je peux décider de mes sorties."})
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{c.plan.pk}/rediger/#decide"
    assert content_of(c.plan)["decide"] == {"text": "Je peux décider de mes sorties."}
    page = text(c.peer.get(response["Location"]))
    assert "« Je peux décider, sauf quand… » est enregistré." in page


def test_emptying_a_section_removes_only_that_section(platform: Platform) -> None:
    c = cast(platform)
    c.owner.post(section_url(c.plan, "warning_signs"), {"warning_signs-text": "  "}, **HX)
    content = content_of(c.plan)
    assert "warning_signs" not in content
    assert content["trusted_person"] == SAMPLE["trusted_person"]


def test_rows_keep_five_filled_lines_at_most(platform: Platform) -> None:
    c = cast(platform, content={})
    data = {
        "contacts-people_0_name": "Sami",
        "contacts-people_0_role": "Nourrit le chat",
        "contacts-people_2_name": "Lou",
        "contacts-people_2_phone": "06 39 98 12 34",
        "contacts-people_9_name": "Hors tableau",
    }
    c.owner.post(section_url(c.plan, "contacts"), data, **HX)
    assert content_of(c.plan)["contacts"] == {
        "people": [
            {"name": "Sami", "role": "Nourrit le chat", "phone": ""},
            {"name": "Lou", "role": "", "phone": "06 39 98 12 34"},
        ]
    }
    page = text(c.owner.get(f"/plans/{c.plan.pk}/rediger/"))
    assert 'value="Nourrit le chat"' in page
    assert page.count('name="contacts-people_') == 15  # five lines of three columns


def test_two_sittings_keep_the_first_sitting_text(platform: Platform) -> None:
    c = cast(platform, content={})
    # First sitting: the person writes with their peer worker, then stops.
    c.owner.post(section_url(c.plan, "warning_signs"), {"warning_signs-text": "Je ne dors plus."}, **HX)
    c.peer.post(section_url(c.plan, "helps"), {"helps-during_helps": "Une promenade au parc."}, **HX)
    # Second sitting, days later: other sections.
    c.peer.post(section_url(c.plan, "triggers"), {"triggers-text": "Les conflits au travail."})
    c.owner.post(section_url(c.plan, "notes"), {"notes-text": "Mon chat s'appelle Pixel."}, **HX)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/rediger/"))
    for written in ("Je ne dors plus.", "Une promenade au parc.", "Les conflits au travail.", "Pixel"):
        assert written in page
    assert f"4 parties sur {len(sections.SECTIONS)} remplies" in page


def test_a_save_from_a_stale_page_never_overwrites_another_section(platform: Platform) -> None:
    c = cast(platform, content={})
    # Both pages were opened before either save: each save reads the draft afresh.
    c.owner.post(section_url(c.plan, "triggers"), {"triggers-text": "A"}, **HX)
    c.peer.post(section_url(c.plan, "ending_signs"), {"ending_signs-text": "B"}, **HX)
    assert content_of(c.plan) == {"triggers": {"text": "A"}, "ending_signs": {"text": "B"}}


def test_the_journal_names_the_section_never_the_text(platform: Platform) -> None:
    c = cast(platform)
    c.owner.post(section_url(c.plan, "practical"), {"practical-text": "Les clés chez la voisine."}, **HX)
    entry = JournalEntry.objects.get(action=Action.UPDATE, object_type="plans.crisisplan")
    assert entry.fields == ["practical"] and entry.object_id == str(c.plan.pk)
    assert "voisine" not in entry.detail
    # Saving the same text again changes nothing and writes nothing.
    c.owner.post(section_url(c.plan, "practical"), {"practical-text": "Les clés chez la voisine."}, **HX)
    assert JournalEntry.objects.filter(action=Action.UPDATE, object_type="plans.crisisplan").count() == 1


def test_the_database_column_holds_no_clear_text(platform: Platform) -> None:
    c = cast(platform)
    c.owner.post(section_url(c.plan, "notes"), {"notes-text": "Mon chat s'appelle Pixel."}, **HX)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content_encrypted FROM plans_planversion WHERE plan_id = %s", [c.plan.pk])
        stored = b"".join(bytes(row[0]) for row in cursor.fetchall())
    for clear in ("Pixel", "Claire Martin", "quatre heures", "trusted_person"):
        assert clear.encode() not in stored


def test_too_long_a_text_is_not_lost(platform: Platform) -> None:
    c = cast(platform)
    long_text = "Très long. " * 500
    fragment = text(c.owner.post(section_url(c.plan, "notes"), {"notes-text": long_text}, **HX))
    assert "Pas encore enregistré" in fragment
    page = c.owner.post(section_url(c.plan, "notes"), {"notes-text": long_text})
    assert page.status_code == 200  # the page again, with what was typed
    assert long_text.strip() in text(page)
    assert "notes" not in content_of(c.plan)


def test_a_revoked_plan_is_not_written(platform: Platform) -> None:
    from django.utils import timezone

    c = cast(platform)
    CrisisPlan.objects.filter(pk=c.plan.pk).update(status=PlanStatus.REVOKED, revoked_at=timezone.now())
    response = c.owner.get(f"/plans/{c.plan.pk}/rediger/")
    assert response.status_code == 302 and response["Location"] == f"/plans/{c.plan.pk}/"
    fragment = text(c.owner.post(section_url(c.plan, "notes"), {"notes-text": "Encore un mot."}, **HX))
    assert "Pas enregistré : ce plan est révoqué." in fragment
    c.peer.post(section_url(c.plan, "notes"), {"notes-text": "Encore un mot."})
    assert "notes" not in content_of(c.plan)


def test_after_finalisation_the_first_edit_starts_a_new_draft(platform: Platform) -> None:
    c = cast(platform)
    PlanVersion.objects.filter(plan=c.plan, number=None).delete()
    frozen = finalise(c.plan)
    before = bytes(frozen.content_encrypted)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/rediger/"))
    assert "vous partez de la version 1" in page and "Claire Martin" in page
    c.owner.post(section_url(c.plan, "notes"), {"notes-text": "Ajouté après la version 1."}, **HX)
    frozen.refresh_from_db()
    assert bytes(frozen.content_encrypted) == before
    assert sections.decode(frozen.content_encrypted) == SAMPLE
    assert content_of(c.plan) == {**SAMPLE, "notes": {"text": "Ajouté après la version 1."}}
