"""An activity entry names the partner deployment it was for (one of the worker's assignments),
and the usual week proposes the half-days of the worker's assignments."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from pairs.deployments.models import Assignment, AssignmentSlot, Deployment, State
from pairs.journal.models import Action, JournalEntry
from pairs.peers.models import ActivityEntry, AvailabilitySlot, DayPart, PeerProfile
from pairs.peers.selectors.activity import slot_minutes
from pairs.peers.services.activity import activity_log
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import AssignmentFactory, DeploymentFactory
from tests.partners.factories import OrganisationFactory, TeamFactory

from .factories import activity_type, commune
from .factories_activity import entry, past_monday, signed_in_worker, worker


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def lyon() -> Any:
    return commune("69123", "Lyon", 45.758, 4.835)


def deployment_of(platform: Platform, name: str = "CH Le Vinatier", team: str | None = "Unité Bleue") -> Deployment:
    activity_type(platform)  # the catalogue, seeded when a platform is created
    organisation = OrganisationFactory(platform=platform, name=name, commune=lyon())
    return DeploymentFactory(
        organisation=organisation,
        team=TeamFactory(organisation=organisation, name=team) if team else None,
        state=State.INTEGRATION,
        start_date=date(2026, 9, 1),
    )


def assign(
    profile: PeerProfile,
    deployment: Deployment,
    *slots: tuple[int, str],
    hours: str = "7",
    start: date = date(2026, 9, 1),
    end: date | None = None,
) -> Assignment:
    assignment = AssignmentFactory(
        deployment=deployment, profile=profile, weekly_hours=Decimal(hours), start_date=start, end_date=end
    )
    for weekday, part in slots:
        AssignmentSlot.objects.create(assignment=assignment, weekday=weekday, part=part)
    return assignment


def _post(profile: PeerProfile, day: date, **values: Any) -> dict[str, Any]:
    data = {
        "day": str(day),
        "activity_type": activity_type(profile.platform).pk,
        "duration": "210",
        "duration_other": "",
        "commune": lyon().pk,
        "workplace": "Unité Bleue",
        "travel_minutes": "0",
        "assignment": "",
    }
    data.update(values)
    return data


# ---- The entry form


def test_an_entry_names_its_deployment(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    assignment = assign(profile, deployment_of(platform), (0, "morning"))
    monday = past_monday()
    form = text(client.get(f"/mon-activite/ajouter/?jour={monday}"))
    assert "Déploiement" in form and f'<option value="{assignment.pk}">CH Le Vinatier – Unité Bleue</option>' in form
    response = client.post(
        f"/mon-activite/ajouter/?jour={monday}", _post(profile, monday, assignment=assignment.pk), follow=True
    )
    assert "L'activité est enregistrée." in text(response)
    saved = ActivityEntry.objects.get(profile=profile)
    assert saved.assignment == assignment
    assert "Déploiement : CH Le Vinatier – Unité Bleue · Lyon · Unité Bleue" in text(response)
    edit = text(client.get(f"/mon-activite/{saved.pk}/"))
    assert f'<option value="{assignment.pk}" selected>CH Le Vinatier – Unité Bleue</option>' in edit


def test_no_deployment_select_without_assignment(platform: Platform) -> None:
    client, _profile = signed_in_worker(platform)
    assert 'name="assignment"' not in text(client.get("/mon-activite/ajouter/"))


def test_another_workers_deployment_is_refused(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    assign(profile, deployment_of(platform), (0, "morning"))
    colleague = worker(platform)
    theirs = assign(colleague, deployment_of(platform, "GEM Les Ailes", None), (0, "morning"))
    monday = past_monday()
    page = text(client.post(f"/mon-activite/ajouter/?jour={monday}", _post(profile, monday, assignment=theirs.pk)))
    assert "Choisissez un déploiement de la liste." in page
    assert not ActivityEntry.objects.exists()
    with pytest.raises(ValidationError) as refused:
        activity_log(
            request=None,
            profile=profile,
            day=monday,
            duration_minutes=60,
            activity_type=activity_type(platform),
            commune=lyon(),
            assignment_id=theirs.pk,
        )
    assert refused.value.message_dict["assignment"] == [
        "Choisissez un déploiement où ce ou cette pair aidant·e est affecté·e."
    ]


def test_a_deployment_not_under_way_that_day_is_refused(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday()
    ended = assign(profile, deployment_of(platform), (0, "morning"), end=monday - timedelta(days=3))
    page = text(client.post(f"/mon-activite/ajouter/?jour={monday}", _post(profile, monday, assignment=ended.pk)))
    assert "À cette date, l'affectation à ce déploiement n'était pas en cours." in page
    assert 'value="210" selected' in page  # what was typed is kept
    assert not ActivityEntry.objects.exists()


def test_a_coordinator_correction_names_the_deployment(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    profile = worker(platform)
    assignment = assign(profile, deployment_of(platform), (0, "morning"))
    monday = past_monday()
    logged = entry(profile, monday, 210, commune=lyon())
    page = text(client.get(f"/activite/{logged.pk}/corriger/"))
    assert "CH Le Vinatier – Unité Bleue" in page
    data = _post(profile, monday, assignment=assignment.pk, workplace="")
    response = client.post(f"/activite/{logged.pk}/corriger/", data)
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.assignment == assignment
    journal = JournalEntry.objects.get(action=Action.UPDATE, object_type="peers.activityentry")
    assert journal.fields == ["assignment"]
    month = text(client.get(f"/vivier/{profile.pk}/activite/?mois={monday:%Y-%m}"))
    assert "Déploiement : CH Le Vinatier – Unité Bleue" in month


# ---- The usual week


def test_slot_minutes_share_the_weekly_hours() -> None:
    assert slot_minutes(Decimal("7"), 2) == 210
    assert slot_minutes(Decimal("7"), 3) == 140
    assert slot_minutes(Decimal("4.5"), 4) == 70  # 67.5 rounded to 5
    assert slot_minutes(Decimal("0.5"), 7) == 5
    assert slot_minutes(Decimal("48"), 1) == 24 * 60


def test_prefill_proposes_the_assignment_half_days(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    assignment = assign(profile, deployment_of(platform), (0, "morning"), (3, "afternoon"))
    monday = past_monday(2)
    url = f"/mon-activite/semaine-type/?semaine={monday}"
    page = text(client.get(url))
    assert "Les demi-journées de vos affectations chez les partenaires sont proposées aussi" in page
    assert page.count("Garder l'activité ") == 2
    assert page.count("Déploiement : CH Le Vinatier – Unité Bleue · Lyon · Unité Bleue") == 2
    data = {"keep_0": "on", "duration_0": "210", "keep_1": "on", "duration_1": "210"}
    client.post(url, data)
    created = list(ActivityEntry.objects.filter(profile=profile).order_by("day"))
    assert [(e.day, e.duration_minutes, e.assignment_id, e.commune_id, e.workplace) for e in created] == [
        (monday, 210, assignment.pk, lyon().pk, "Unité Bleue"),
        (monday + timedelta(days=3), 210, assignment.pk, lyon().pk, "Unité Bleue"),
    ]


def test_prefill_adds_assignments_to_last_week_without_duplicates(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    assignment = assign(profile, deployment_of(platform), (0, "morning"), (3, "afternoon"))
    other = assign(profile, deployment_of(platform, "GEM Les Ailes", None), (2, "morning"), hours="3")
    monday = past_monday(2)
    previous = monday - timedelta(weeks=1)
    entry(profile, previous, 180, commune=lyon(), workplace="Unité Bleue", assignment=assignment)
    entry(profile, previous + timedelta(days=1), 60, code="group", remote=True, commune=None)
    page = text(client.get(f"/mon-activite/semaine-type/?semaine={monday}"))
    assert "Voici les activités de la semaine précédente" in page
    # Last week's two entries, then Wednesday (GEM) and Thursday (CH): not a second Monday.
    assert page.count("Garder l'activité ") == 4
    assert page.count("CH Le Vinatier – Unité Bleue") == 2 and page.count("Déploiement : GEM Les Ailes · Lyon") == 1
    client.post(
        f"/mon-activite/semaine-type/?semaine={monday}",
        {f"keep_{i}": "on" for i in range(4)}
        | {"duration_0": "180", "duration_1": "60", "duration_2": "180"}
        | {"duration_3": "210"},
    )
    created = list(ActivityEntry.objects.filter(profile=profile, day__gte=monday).order_by("day", "id"))
    assert [(e.day.weekday(), e.duration_minutes, e.assignment_id) for e in created] == [
        (0, 180, assignment.pk),
        (1, 60, None),
        (2, 180, other.pk),
        (3, 210, assignment.pk),
    ]


def test_prefill_assignment_half_days_replace_the_same_availability(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    for weekday, part in [(0, DayPart.MORNING), (1, DayPart.MORNING)]:
        AvailabilitySlot.objects.create(profile=profile, weekday=weekday, part=part)
    assignment = assign(profile, deployment_of(platform), (0, "morning"))
    monday = past_monday(2)
    page = text(client.get(f"/mon-activite/semaine-type/?semaine={monday}"))
    assert page.count("Garder l'activité ") == 2
    assert "Déploiement : CH Le Vinatier – Unité Bleue · Lyon" in page
    assert "Villeurbanne" in page  # the other availability, at home
    client.post(
        f"/mon-activite/semaine-type/?semaine={monday}",
        {"keep_0": "on", "duration_0": "210", "keep_1": "on", "duration_1": "210"},
    )
    created = list(ActivityEntry.objects.filter(profile=profile).order_by("day"))
    assert [(e.day.weekday(), e.assignment_id) for e in created] == [(0, assignment.pk), (1, None)]


def test_prefill_skips_assignments_not_under_way(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday(2)
    assign(profile, deployment_of(platform), (0, "morning"), (3, "afternoon"), end=monday + timedelta(days=1))
    assign(profile, deployment_of(platform, "GEM Les Ailes", None), (1, "morning"), start=monday + timedelta(days=7))
    page = text(client.get(f"/mon-activite/semaine-type/?semaine={monday}"))
    assert page.count("Garder l'activité ") == 1 and "GEM Les Ailes" not in page
