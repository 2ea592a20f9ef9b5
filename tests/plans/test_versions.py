"""Finalising frozen numbered versions, confirming them, reading one, comparing two."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.plans import sections
from pairs.plans.models import CrisisPlan, PlanSettings, PlanSignature, PlanStatus, PlanVersion, SignatureRole
from pairs.plans.services.editor import add_months
from pairs.platforms.models import Platform
from tests.plans.factories import SAMPLE, finalise, share
from tests.plans.test_editor import HX, cast, section_url, text


def finalise_url(plan: CrisisPlan) -> str:
    return f"/plans/{plan.pk}/finaliser/"


def test_add_months_keeps_the_day_or_the_end_of_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_finalising_freezes_version_one_confirmed_by_the_person(platform: Platform) -> None:
    c = cast(platform)
    page = text(c.owner.get(finalise_url(c.plan)))
    assert "Finaliser la version 1" in page and "Claire Martin" in page
    assert "Je confirme que ce document dit ce que je souhaite" in page

    unconfirmed = c.owner.post(finalise_url(c.plan), {"place": "Lyon"})
    assert unconfirmed.status_code == 200 and "Cochez la case pour confirmer le document." in text(unconfirmed)
    assert not PlanVersion.objects.filter(plan=c.plan, number__isnull=False).exists()

    response = c.owner.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    version = PlanVersion.objects.get(plan=c.plan, number=1)
    assert response["Location"] == f"/plans/{c.plan.pk}/versions/{version.pk}/"
    assert sections.decode(version.content_encrypted) == SAMPLE
    assert version.place == "Lyon" and version.finalised_at is not None
    assert c.person.membership is not None and version.finalised_by == c.person.membership.user
    signature = PlanSignature.objects.get(version=version)
    assert signature.role == SignatureRole.PERSON and signature.name == c.person.pseudonym
    assert not PlanVersion.objects.filter(plan=c.plan, number=None).exists()  # the draft is gone
    c.plan.refresh_from_db()
    assert c.plan.status == PlanStatus.FINALISED
    assert c.plan.review_due_on == add_months(timezone.localdate(), 12)
    assert JournalEntry.objects.filter(action=Action.CREATE, object_type="plans.planversion").exists()

    reading = text(c.owner.get(response["Location"]))
    assert "Version 1 du" in reading
    assert f"Confirmé par {c.person.pseudonym} (La personne)" in reading
    assert str(sections.NOT_BINDING) in reading
    assert f"/plans/{c.plan.pk}/versions/{version.pk}/pdf/" in reading and "Télécharger le PDF" in reading


def test_an_empty_draft_is_not_finalised(platform: Platform) -> None:
    c = cast(platform, content={})
    response = c.peer.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    assert response.status_code == 200
    assert "Le plan est vide : remplissez au moins une partie avant de le finaliser." in text(response)
    assert not PlanVersion.objects.filter(plan=c.plan, number__isnull=False).exists()


def test_versions_are_numbered_and_frozen(platform: Platform) -> None:
    c = cast(platform)
    c.peer.post(finalise_url(c.plan), {"place": "Villeurbanne", "confirm": "on"})
    first = PlanVersion.objects.get(plan=c.plan, number=1)
    assert PlanSignature.objects.get(version=first).role == SignatureRole.PEER_WORKER

    # Nothing new to finalise until the plan changes.
    nothing = c.peer.get(finalise_url(c.plan))
    assert nothing.status_code == 302

    c.owner.post(section_url(c.plan, "notes"), {"notes-text": "Une nouvelle idée."}, **HX)
    c.owner.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    second = PlanVersion.objects.get(plan=c.plan, number=2)
    first.refresh_from_db()
    assert sections.decode(first.content_encrypted) == SAMPLE
    assert sections.decode(second.content_encrypted) == {**SAMPLE, "notes": {"text": "Une nouvelle idée."}}
    page = text(c.owner.get(f"/plans/{c.plan.pk}/"))
    assert "Version 1" in page and "Version 2" in page and "Villeurbanne" in page


def test_an_unchanged_draft_is_not_a_new_version(platform: Platform) -> None:
    c = cast(platform)
    c.owner.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    # A save that leaves every section as it was still opens a draft.
    c.owner.post(section_url(c.plan, "identity"), {}, **HX)
    assert PlanVersion.objects.filter(plan=c.plan, number=None).exists()
    response = c.owner.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    assert "Rien n'a changé depuis la version 1" in text(response)
    assert PlanVersion.objects.filter(plan=c.plan, number__isnull=False).count() == 1


def test_the_review_delay_follows_the_settings_and_sharing_stays(platform: Platform) -> None:
    PlanSettings.objects.create(platform=platform, review_months=6)
    c = cast(platform)
    share(c.plan, version=finalise(c.plan, content={"notes": {"text": "Avant."}}))
    CrisisPlan.objects.filter(pk=c.plan.pk).update(status=PlanStatus.SHARED)
    c.peer.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    c.plan.refresh_from_db()
    assert c.plan.status == PlanStatus.SHARED
    assert c.plan.review_due_on == add_months(timezone.localdate(), 6)
    assert PlanVersion.objects.filter(plan=c.plan, number=2).exists()


def test_the_other_party_confirms_the_same_version_later(platform: Platform) -> None:
    c = cast(platform)
    c.peer.post(finalise_url(c.plan), {"place": "Lyon", "confirm": "on"})
    version = PlanVersion.objects.get(plan=c.plan, number=1)
    url = f"/plans/{c.plan.pk}/versions/{version.pk}/"
    assert "Confirmer cette version" not in text(c.peer.get(url))
    assert "Confirmer cette version" in text(c.owner.get(url))
    c.owner.post(url, {"action": "confirm"})
    roles = list(PlanSignature.objects.filter(version=version).values_list("role", flat=True))
    assert roles == [SignatureRole.PEER_WORKER, SignatureRole.PERSON]
    assert "Vous avez déjà confirmé cette version." in text(c.owner.post(url, {"action": "confirm"}, follow=True))
    assert PlanSignature.objects.filter(version=version).count() == 2
    assert "Confirmer cette version" not in text(c.owner.get(url))


def test_a_draft_or_another_plan_version_is_not_a_version_page(platform: Platform) -> None:
    c = cast(platform)
    draft = PlanVersion.objects.get(plan=c.plan, number=None)
    assert c.owner.get(f"/plans/{c.plan.pk}/versions/{draft.pk}/").status_code == 404
    other = cast(platform)
    version = finalise(other.plan)
    assert c.owner.get(f"/plans/{c.plan.pk}/versions/{version.pk}/").status_code == 404


def test_comparing_two_versions_marks_what_changed(platform: Platform) -> None:
    c = cast(platform)
    finalise(c.plan, content=SAMPLE)
    changed = {**SAMPLE, "warning_signs": {"text": "Je ne sors plus de chez moi."}, "notes": {"text": "Nouveau."}}
    finalise(c.plan, content=changed)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/comparer/"))
    assert '<select name="a"' in page and '<select name="b"' in page
    assert "Version 1" in page and "Version 2" in page
    assert "2 parties ont changé" in page
    assert page.count(">modifiée<") == 2 and page.count(">inchangée<") == 2
    assert "Je dors moins de quatre heures" in page and "Je ne sors plus de chez moi." in page

    same = text(c.owner.get(f"/plans/{c.plan.pk}/comparer/?a=2&b=2"))
    assert "Aucune partie n'a changé entre la version 2 et la version 2." in same and ">modifiée<" not in same


def test_comparing_needs_two_versions(platform: Platform) -> None:
    c = cast(platform)
    finalise(c.plan)
    page = text(c.owner.get(f"/plans/{c.plan.pk}/comparer/?a=1&b=3"))
    assert "Il faut au moins deux versions finalisées pour les comparer." in page
