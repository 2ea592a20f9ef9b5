"""A peer worker logs their own activity from a phone: the week, adding, editing, deleting."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pairs.journal.models import JournalEntry
from pairs.peers.models import ActivityEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

from .factories import activity_type, commune
from .factories_activity import entry, givors, past_monday, signed_in_worker, this_monday, villeurbanne, worker


def _post(profile: Any, **values: Any) -> dict[str, Any]:
    data = {
        "day": str(past_monday()),
        "activity_type": activity_type(profile.platform).pk,
        "duration": "90",
        "duration_other": "",
        "commune": villeurbanne().pk,
        "workplace": "CMP Villeurbanne",
        "travel_minutes": "20",
    }
    data.update(values)
    return data


def test_logging_an_activity_on_a_phone_adds_it_to_the_week(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday()
    week = client.get(f"/mon-activite/?semaine={monday + timedelta(days=2)}").content.decode()
    assert "Ajouter une activité" in week and f"/mon-activite/ajouter/?jour={monday}" in week
    assert "Reprendre ma semaine type" in week
    form = client.get(f"/mon-activite/ajouter/?jour={monday}").content.decode()
    assert f'value="{monday}"' in form
    assert f'<option value="{villeurbanne().pk}" selected>Villeurbanne (69)</option>' in form
    assert "Le lieu ou l'équipe, jamais le nom d'une personne." in form
    response = client.post("/mon-activite/ajouter/", _post(profile), follow=True)
    body = response.content.decode()
    assert "L&#x27;activité est enregistrée." in body
    assert "Accompagnement individuel · 1 h 30" in body
    assert "Villeurbanne · CMP Villeurbanne · trajet 20 min" in body
    assert "Total de la semaine : <strong>1 h 30</strong>, pour 24 h au contrat." in body
    saved = ActivityEntry.objects.get(profile=profile)
    assert (saved.day, saved.duration_minutes, saved.travel_minutes) == (monday, 90, 20)


def test_a_remote_activity_with_an_exact_duration(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    client.post("/mon-activite/ajouter/", _post(profile, duration="", duration_other="45", remote="on", commune=""))
    saved = ActivityEntry.objects.get(profile=profile)
    assert saved.remote and saved.commune is None and saved.duration_minutes == 45
    body = client.get(f"/mon-activite/?semaine={saved.day}").content.decode()
    assert "Accompagnement individuel · 45 min" in body and "À distance" in body


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"day": "FUTURE"}, "Cette date est dans le futur : on ne note que ce qui a eu lieu."),
        ({"duration": "", "duration_other": "1500"}, "Une activité ne peut pas durer plus de 24 heures."),
        ({"commune": ""}, "Indiquez la commune, ou cochez « à distance »."),
        ({"duration": "", "duration_other": ""}, "Indiquez une durée : choisissez-la dans la liste ou tapez-la"),
    ],
)
def test_bad_input_is_explained_kept_and_nothing_is_saved(platform: Platform, values: Any, message: str) -> None:
    client, profile = signed_in_worker(platform)
    if values.get("day") == "FUTURE":
        values["day"] = str(timezone.localdate() + timedelta(days=1))
    response = client.post("/mon-activite/ajouter/", _post(profile, workplace="GEM Lyon 8", **values))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and 'value="GEM Lyon 8"' in body
    assert not ActivityEntry.objects.filter(profile=profile).exists()


def test_a_day_over_24_hours_is_refused(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    entry(profile, past_monday(), 23 * 60)
    response = client.post("/mon-activite/ajouter/", _post(profile, duration="120"))
    assert "Avec cette activité, la journée dépasserait 24 heures." in response.content.decode()
    assert ActivityEntry.objects.filter(profile=profile).count() == 1


def test_a_day_after_the_end_of_the_status_is_refused(platform: Platform) -> None:
    client, profile = signed_in_worker(platform, status_end=past_monday() - timedelta(days=1))
    response = client.post("/mon-activite/ajouter/", _post(profile))
    assert "n&#x27;était pas en activité sur la plateforme" in response.content.decode()
    assert not ActivityEntry.objects.filter(profile=profile).exists()


def test_editing_and_deleting_an_own_entry(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    mine = entry(profile, past_monday(), 60, workplace="GEM Lyon 8")
    form = client.get(f"/mon-activite/{mine.pk}/").content.decode()
    assert "Modifier une activité" in form and '<option value="60" selected>1 h</option>' in form
    response = client.post(
        f"/mon-activite/{mine.pk}/", _post(profile, duration="150", commune=givors().pk), follow=True
    )
    assert "L&#x27;activité est modifiée." in response.content.decode()
    mine.refresh_from_db()
    assert mine.duration_minutes == 150 and mine.commune == givors()
    assert not JournalEntry.objects.filter(object_type="peers.activityentry").exists()
    response = client.post(f"/mon-activite/{mine.pk}/", {"supprimer": "1"}, follow=True)
    assert "L&#x27;activité est supprimée." in response.content.decode()
    assert not ActivityEntry.objects.filter(pk=mine.pk).exists()


def test_an_unusual_duration_is_kept_when_editing(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    mine = entry(profile, past_monday(), 75)
    assert '<option value="75" selected>1 h 15</option>' in client.get(f"/mon-activite/{mine.pk}/").content.decode()


def test_a_colleague_entry_answers_404(platform: Platform) -> None:
    client, _profile = signed_in_worker(platform)
    colleague = entry(worker(platform), past_monday())
    assert client.get(f"/mon-activite/{colleague.pk}/").status_code == 404
    assert client.post(f"/mon-activite/{colleague.pk}/", {"supprimer": "1"}).status_code == 404
    assert ActivityEntry.objects.filter(pk=colleague.pk).exists()


def test_the_week_shows_only_own_entries(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday()
    entry(profile, monday, 60, workplace="Mon lieu")
    entry(worker(platform), monday, 60, workplace="Lieu d'une collègue")
    body = client.get(f"/mon-activite/?semaine={monday}").content.decode()
    assert "Mon lieu" in body and "collègue" not in body
    assert "Reprendre ma semaine type" not in body


def test_the_week_never_goes_beyond_the_current_week(platform: Platform) -> None:
    client, _profile = signed_in_worker(platform)
    body = client.get(f"/mon-activite/?semaine={this_monday() + timedelta(weeks=2)}").content.decode()
    assert f"?semaine={this_monday() - timedelta(weeks=1)}" in body and "Semaine suivante" not in body
    past = client.get(f"/mon-activite/?semaine={past_monday()}").content.decode()
    assert f"?semaine={past_monday() + timedelta(weeks=1)}" in past and "Semaine suivante" in past


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_CONTACT, Role.PERSON])
def test_only_peer_workers_log_their_activity(role: Role, platform: Platform, client_as: Any) -> None:
    client, _ = client_as(role, platform)
    assert client.get("/mon-activite/").status_code == 403
    assert client.get("/mon-activite/ajouter/").status_code == 403


def test_a_peer_worker_without_profile_gets_404(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    assert client.get("/mon-activite/").status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_my_week_query_count_is_constant(rows: int, platform: Platform, django_assert_num_queries: Any) -> None:
    client, profile = signed_in_worker(platform)
    monday = past_monday()
    for n in range(rows):
        entry(profile, monday + timedelta(days=n % 7), 30, workplace=f"Lieu {n}", commune=givors())
    with django_assert_num_queries(11):
        response = client.get(f"/mon-activite/?semaine={monday}")
    assert response.content.decode().count("/mon-activite/") >= rows


def test_my_indicators_are_framed_kindly(platform: Platform) -> None:
    client, profile = signed_in_worker(platform)
    today = timezone.localdate()
    for place in ["CMP Villeurbanne", "GEM Lyon 8", "CMP Givors", "Café associatif"]:
        entry(profile, today, 60, workplace=place)
    body = client.get("/mes-indicateurs/").content.decode()
    assert (
        "Cette semaine, vous avez travaillé dans 4 lieux différents. C&#x27;est beaucoup : "
        "parlez-en avec la coordination si vous le souhaitez."
    ) in body
    assert "Aucune supervision ni intervision n&#x27;est notée pour vous." in body
    assert "<caption>Vos indicateurs des neuf dernières semaines" in body
    assert body.count('<th scope="row">') == 9


def test_my_indicators_for_another_role_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get("/mes-indicateurs/").status_code == 403


def test_the_commune_list_starts_with_home_then_covered_communes(platform: Platform) -> None:
    client, profile = signed_in_worker(platform, home_commune=givors())
    lyon = commune("69123", "Lyon", 45.76, 4.83)
    commune("69001", "Affoux", 45.84, 4.41)
    commune("38185", "Grenoble", 45.19, 5.72)  # another department: not offered here
    profile.zones.add(lyon)
    form = client.get("/mon-activite/ajouter/").content.decode()
    options = re.findall(r'<option value="69\d+"[^>]*>([^<]+)</option>', form)
    assert options[:2] == ["Givors (69)", "Lyon (69)"] and "Affoux (69)" in options
    assert "Grenoble" not in form
