"""Logging a whole week at once from the usual week."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pairs.peers.models import ActivityEntry, AvailabilitySlot, DayPart
from pairs.platforms.models import Platform

from .factories import activity_type
from .factories_activity import entry, givors, past_monday, signed_in_worker, this_monday, villeurbanne


def test_prefill_copies_last_week_shifted_by_seven_days(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday(2)
    previous = monday - timedelta(weeks=1)
    entry(profile, previous, 120, workplace="CMP Givors", commune=givors(), travel_minutes=25)
    entry(profile, previous + timedelta(days=2), 60, code="group", remote=True, commune=None)
    entry(profile, previous + timedelta(days=4), 90, workplace="GEM Lyon 8")
    url = f"/mon-activite/semaine-type/?semaine={monday}"
    page = client.get(url).content.decode()
    assert "Voici les activités de la semaine précédente" in page
    assert "Garder l&#x27;activité 1 : lundi" in page and "Givors · CMP Givors · trajet 25 min" in page
    # Keep the first two, the first one longer; drop the third.
    response = client.post(url, {"keep_0": "on", "duration_0": "150", "keep_1": "on", "duration_1": "60"}, follow=True)
    assert "2 activités sont enregistrées." in response.content.decode()
    created = list(ActivityEntry.objects.filter(profile=profile, day__gte=monday).order_by("day"))
    assert [(e.day, e.duration_minutes, e.activity_type.code) for e in created] == [
        (monday, 150, "individual_support"),
        (monday + timedelta(days=2), 60, "group"),
    ]
    assert (created[0].commune, created[0].workplace, created[0].travel_minutes) == (givors(), "CMP Givors", 25)
    assert created[1].remote and created[1].commune is None


def test_prefill_from_availability_when_last_week_is_empty(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    activity_type(platform)  # the catalogue, seeded when a platform is created
    for weekday, part in [(0, DayPart.MORNING), (0, DayPart.AFTERNOON), (3, DayPart.EVENING), (4, DayPart.MORNING)]:
        AvailabilitySlot.objects.create(profile=profile, weekday=weekday, part=part)
    monday = past_monday(2)
    url = f"/mon-activite/semaine-type/?semaine={monday}"
    page = client.get(url).content.decode()
    assert "une demi-journée d'accompagnement individuel" in page
    assert page.count("Garder l&#x27;activité ") == 3
    data = {f"keep_{i}": "on" for i in range(3)} | {f"duration_{i}": "210" for i in range(3)}
    client.post(url, data)
    created = ActivityEntry.objects.filter(profile=profile).order_by("day", "id")
    assert [(e.day, e.duration_minutes, e.commune_id) for e in created] == [
        (monday, 210, villeurbanne().pk),
        (monday, 210, villeurbanne().pk),
        (monday + timedelta(days=4), 210, villeurbanne().pk),
    ]


def test_prefill_is_all_or_nothing(platform: Platform) -> None:
    monday = past_monday(2)
    client, profile = signed_in_worker(platform, status_end=monday + timedelta(days=1))
    previous = monday - timedelta(weeks=1)
    entry(profile, previous, 60)
    entry(profile, previous + timedelta(days=3), 60)
    url = f"/mon-activite/semaine-type/?semaine={monday}"
    response = client.post(url, {"keep_0": "on", "duration_0": "60", "keep_1": "on", "duration_1": "60"})
    body = response.content.decode()
    assert "Activité du jeudi" in body and "n&#x27;était pas en activité sur la plateforme" in body
    assert not ActivityEntry.objects.filter(profile=profile, day__gte=monday).exists()


def test_prefill_never_proposes_days_to_come(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    previous = this_monday() - timedelta(weeks=1)
    for day in range(7):
        entry(profile, previous + timedelta(days=day), 30)
    page = client.get("/mon-activite/semaine-type/").content.decode()
    assert page.count("Garder l&#x27;activité ") == timezone.localdate().weekday() + 1


def test_prefill_refuses_a_week_that_is_not_empty(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday(2)
    entry(profile, monday - timedelta(weeks=1), 60)
    entry(profile, monday + timedelta(days=1), 60)
    url = f"/mon-activite/semaine-type/?semaine={monday}"
    assert "la semaine type ne s'applique qu'à une semaine vide" in client.get(url).content.decode()
    client.post(url, {"keep_0": "on", "duration_0": "60"})
    assert ActivityEntry.objects.filter(profile=profile, day__gte=monday).count() == 1
