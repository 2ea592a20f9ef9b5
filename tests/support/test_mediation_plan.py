"""A mediation can name the version of the person's crisis plan that was presented: only that
person's finalised versions are offered and accepted, and the person page says which one."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.platforms.models import Platform
from pairs.support.forms.notes import MediationForm
from pairs.support.models import ConsentKind, Mediation
from pairs.support.services.notes import mediation_add
from tests.plans.factories import finalise, plan_for
from tests.support.factories import consent, person_of
from tests.support.test_notes import peer_client


def data(**extra: Any) -> dict[str, Any]:
    return {
        "held_on": timezone.localdate().isoformat(),
        "professional": "Dr Garnier, psychiatre du CMP",
        "purpose": "Présenter le plan de crise avant l'hospitalisation de jour.",
        **extra,
    }


def test_the_form_offers_only_the_persons_finalised_versions(platform: Platform) -> None:
    person = person_of(platform)
    plan = plan_for(person)  # its draft is not offered
    first, second = finalise(plan), finalise(plan)
    someone_else = finalise(plan_for(person_of(platform)))
    form = MediationForm(peers=None, person=person)
    field: Any = form.fields["plan_version"]
    assert list(field.queryset) == [second, first]
    rendered = str(form["plan_version"])
    assert "Aucune version en particulier" in rendered and "Version 2 du" in rendered and "Version 1 du" in rendered
    assert f'value="{someone_else.pk}"' not in rendered
    bound = MediationForm(data(plan_version=someone_else.pk), peers=None, person=person)
    assert not bound.is_valid()
    assert bound.errors["plan_version"] == ["Choisissez une version finalisée du plan de crise de cette personne."]
    bound = MediationForm(data(plan_version=first.pk), peers=None, person=person)
    assert bound.is_valid() and bound.cleaned_data["plan_version"] == first


def test_no_field_without_a_finalised_version(platform: Platform) -> None:
    person = person_of(platform)
    assert "plan_version" not in MediationForm(peers=None, person=person).fields
    plan_for(person)
    assert "plan_version" not in MediationForm(peers=None, person=person).fields
    assert "plan_version" not in MediationForm(peers=None).fields


def test_the_service_records_the_version_presented(platform: Platform) -> None:
    person = person_of(platform)
    consent(person, ConsentKind.SHARE_PROFESSIONAL)
    version = finalise(plan_for(person))
    assert person.peer is not None
    mediation = mediation_add(
        request=None,
        person=person,
        peer=person.peer,
        held_on=timezone.localdate(),
        professional="Dr Garnier",
        purpose="Présenter le plan.",
        plan_version=version,
    )
    assert mediation.plan_version == version and mediation.about_crisis_plan
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="support.mediation")
    assert "plan_version" in entry.fields


def test_the_service_refuses_another_persons_version_or_a_draft(platform: Platform) -> None:
    person = person_of(platform)
    consent(person, ConsentKind.SHARE_PROFESSIONAL)
    assert person.peer is not None
    other_version = finalise(plan_for(person_of(platform)))
    draft = plan_for(person).versions.get()
    for version in (other_version, draft):
        with pytest.raises(ValidationError) as refused:
            mediation_add(
                request=None,
                person=person,
                peer=person.peer,
                held_on=timezone.localdate(),
                professional="Dr Garnier",
                purpose="Présenter le plan.",
                plan_version=version,
            )
        assert refused.value.message_dict == {
            "plan_version": ["Choisissez une version finalisée du plan de crise de cette personne."]
        }
    assert not Mediation.objects.exists()


def test_the_person_page_names_the_version_presented(platform: Platform) -> None:
    client, referent = peer_client(platform)
    person = person_of(platform, peer=referent)
    version = finalise(plan_for(person))
    finalise(version.plan)
    Mediation.objects.create(
        person=person,
        peer=referent,
        held_on=timezone.localdate(),
        professional="Dr Garnier",
        purpose="Présenter le plan.",
        about_crisis_plan=True,
        plan_version=version,
    )
    Mediation.objects.create(
        person=person, peer=referent, held_on=timezone.localdate(), professional="Dr Martin", purpose="Un rendez-vous."
    )
    page = html.unescape(client.get(f"/accompagnement/personnes/{person.pk}/").content.decode())
    assert page.count("Version 1 du plan présentée") == 1 and "Version 2 du plan présentée" not in page
