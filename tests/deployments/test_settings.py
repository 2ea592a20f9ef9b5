"""The platform's deployment settings: review months, reminder, hours kept for one-off work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pairs.deployments.models import DeploymentSettings, State, settings_for
from pairs.deployments.services import contracts as writes
from pairs.deployments.services import followup
from pairs.journal.models import JournalEntry
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.deployments.factories import DeploymentFactory, partner_of

URL = "/deploiements/reglages/"


def body(response: Any) -> str:
    return str(response.content.decode())


def data(**changes: str) -> dict[str, str]:
    return {"review_months": "1, 3, 6", "reminder_days": "7", "one_off_hours_per_month": "20", **changes}


def test_the_page_shows_the_defaults_and_the_note(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    page = body(client.get(URL))
    assert "Réglages des déploiements" in page
    assert 'value="1, 3, 6"' in page and 'value="7"' in page and 'value="20"' in page
    assert "s'applique aux déploiements qui entrent en intégration à partir de maintenant" in page
    assert not DeploymentSettings.objects.exists()


def test_saving_creates_the_settings_sorted_and_without_repeats(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)

    response = client.post(URL, data(review_months="6; 2 12,2", reminder_days="10", one_off_hours_per_month="12,5"))

    assert response.status_code == 302 and response["Location"] == URL
    saved = DeploymentSettings.objects.get(platform=platform)
    assert (saved.review_months, saved.reminder_days, saved.one_off_hours_per_month) == (
        [2, 6, 12],
        10,
        Decimal("12.5"),
    )
    entry = JournalEntry.objects.get(action="create", object_type="deployments.deploymentsettings")
    assert entry.fields == ["one_off_hours_per_month", "reminder_days", "review_months"]
    page = body(client.get(URL))
    assert 'value="2, 6, 12"' in page and 'value="12,5"' in page
    assert "Les réglages des déploiements sont enregistrés." in page


def test_changing_journals_the_changed_fields_only(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    DeploymentSettings.objects.create(platform=platform)

    assert client.post(URL, data(reminder_days="14")).status_code == 302
    assert client.post(URL, data(reminder_days="14")).status_code == 302

    entries = JournalEntry.objects.filter(action="update", object_type="deployments.deploymentsettings")
    assert [entry.fields for entry in entries] == [["reminder_days"]]
    assert settings_for(platform.pk).reminder_days == 14


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"review_months": ""}, "review_months", "Indiquez au moins un mois, par exemple 1, 3, 6."),
        ({"review_months": "1, trois, 6"}, "review_months", "« trois » n&#x27;est pas un nombre entier de mois."),
        ({"review_months": "1, -3"}, "review_months", "« -3 » n&#x27;est pas un nombre entier de mois."),
        ({"review_months": "0, 3"}, "review_months", "Chaque mois est un nombre entier entre 1 et 36."),
        ({"review_months": "3, 37"}, "review_months", "Chaque mois est un nombre entier entre 1 et 36."),
        ({"review_months": ", ".join(str(m) for m in range(1, 14))}, "review_months", "12 points de suivi au plus"),
        ({"reminder_days": "0"}, "reminder_days", "Le rappel part entre 1 et 60 jours avant le point de suivi."),
        ({"reminder_days": "61"}, "reminder_days", "Le rappel part entre 1 et 60 jours avant le point de suivi."),
        ({"reminder_days": "une semaine"}, "reminder_days", "Écrivez un nombre entier de jours, par exemple 7."),
        ({"one_off_hours_per_month": "-1"}, "one_off_hours_per_month", "Indiquez un nombre d&#x27;heures entre 0"),
        ({"one_off_hours_per_month": "5001"}, "one_off_hours_per_month", "Indiquez un nombre d&#x27;heures entre 0"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(
    platform: Platform, client_as: Any, changes: dict[str, str], field: str, message: str
) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    typed = data(**changes)

    response = client.post(URL, typed)

    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    if typed[field]:
        assert f'value="{typed[field]}"' in page
    assert not DeploymentSettings.objects.exists()


def test_twelve_review_months_are_accepted(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    months = ", ".join(str(m) for m in range(1, 37, 3))
    assert client.post(URL, data(review_months=months, one_off_hours_per_month="0")).status_code == 302
    assert settings_for(platform.pk).review_months == list(range(1, 37, 3))


def test_the_service_checks_the_values_itself(platform: Platform) -> None:
    with pytest.raises(ValidationError) as caught:
        writes.deployment_settings_save(
            request=None, platform=platform, review_months=[], reminder_days=0, one_off_hours_per_month=Decimal("-1")
        )
    assert set(caught.value.message_dict) == {"review_months", "reminder_days", "one_off_hours_per_month"}


def test_the_new_schedule_applies_to_deployments_entering_integration(platform: Platform, client_as: Any) -> None:
    client, _membership = client_as(Role.COORDINATOR, platform)
    client.post(URL, data(review_months="2, 4"))
    deployment = DeploymentFactory(organisation__platform=platform, state=State.INTEGRATION)

    reviews = followup.reviews_schedule(deployment=deployment, start=date(2027, 1, 15))

    assert [review.planned_on for review in reviews] == [date(2027, 3, 15), date(2027, 5, 15)]


def test_only_coordinators_change_the_settings(platform: Platform, client_as: Any) -> None:
    membership, _contact = partner_of(platform)
    for client in (login_client(Client(), membership), client_as(Role.PEER_WORKER, platform)[0]):
        assert client.get(URL).status_code == 403
        assert client.post(URL, data(reminder_days="3")).status_code == 403
    assert not DeploymentSettings.objects.exists()
