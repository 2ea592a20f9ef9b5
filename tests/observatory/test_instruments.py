"""The instrument pages: importing a definition (line-precise French errors, preview, confirmation,
duplicates), the list with licence statuses, one instrument in words, recording a permission, the
licence gate of campaigns, the demo instruments, roles and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.observatory.models import Instrument, Licence, LicencePermission
from pairs.observatory.services.instruments import demo_files, require_usable
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role

LIST = "/observatoire/instruments/"
IMPORT = "/observatoire/instruments/importer/"

# Written for these tests: a three-item scale summed and converted through a table.
DEFINITION = """\
code: essai-test
version: "1"
name: Essai pour les tests
language: fr
licence: free
description: Un instrument écrit pour les tests.
scale:
  values: [1, 2, 3, 4]
  labels: {1: Pas du tout, 4: Tout à fait}
  missing: {NA: Sans objet}
versions:
  - key: equipe
    label: Équipe
    items:
      - {key: a1, text: Premier énoncé d'essai.}
      - {key: a2, text: Deuxième énoncé d'essai.}
      - {key: a3, text: Troisième énoncé d'essai.}
reverse_items: [a3]
dimensions:
  - key: ensemble
    label: Ensemble
    items: [a1, a2, a3]
scoring:
  method: sum
  min_answered: 2
  conversion: {3: 0, 4: 1.5, 5: 3, 6: 4.5, 7: 6, 8: 7.5, 9: 9, 10: 10.5, 11: 12, 12: 13.5}
"""

# Line 22 cites an item that does not exist; line 24 has a method that does not exist.
INVALID = DEFINITION.replace("items: [a1, a2, a3]", "items: [a1, a2, a3, a9]").replace("method: sum", "method: total")


def _detail(instrument: Instrument) -> str:
    return f"/observatoire/instruments/{instrument.pk}/"


def _import(platform: Platform, text: str = DEFINITION, **fields: Any) -> Instrument:
    from pairs.observatory.services.instruments import instrument_import

    instrument = instrument_import(request=None, platform=platform, by=None, text=text)
    if fields:
        Instrument.objects.filter(pk=instrument.pk).update(**fields)
        instrument.refresh_from_db()
    return instrument


# ---- Import


def test_an_invalid_definition_lists_every_message_with_its_line_and_saves_nothing(
    platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(IMPORT, {"action": "preview", "text": INVALID})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "La définition contient 2 erreurs : rien n'a été enregistré." in page
    assert "Ligne 22 : la dimension « ensemble » cite l&#x27;item « a9 », qui n&#x27;existe pas." in page
    assert "Ligne 24 : la méthode « total » n&#x27;existe pas" in page
    assert "items: [a1, a2, a3, a9]" in page  # the pasted text is kept, to be corrected in place
    assert not Instrument.objects.exists()


def test_a_syntax_error_names_its_line(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(IMPORT, {"text": "code: essai\nname: [Essai\n"})
    assert response.status_code == 400
    assert "Ligne " in response.content.decode()
    assert "erreur de syntaxe" in response.content.decode()
    assert not Instrument.objects.exists()


def test_nothing_given_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(IMPORT, {"text": "  "})
    assert response.status_code == 400
    assert "Choisissez un fichier de définition ou collez son contenu." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("essai.txt", DEFINITION.encode(), "La définition doit être un fichier YAML ou JSON"),
        ("essai.yaml", b"x" * (200 * 1024 + 1), "Le fichier est trop lourd : 200 Ko au plus."),
        ("essai.yaml", "code: é\n".encode("latin-1"), "Ligne 1 : le fichier n&#x27;est pas en UTF-8."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(
    platform: Platform, client_as: Any, name: str, content: bytes, message: str
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Instrument.objects.exists()


def test_a_valid_file_is_previewed_then_imported_on_confirmation(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    upload = SimpleUploadedFile("essai.yaml", DEFINITION.encode("utf-8"), content_type="application/x-yaml")
    response = client.post(IMPORT, {"action": "preview", "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Voici ce que contient le fichier : 1 version, 3 items, 1 dimension, somme des réponses, convertie par "
        "une table, au moins 2 items répondus par dimension." in page
    )
    assert "Troisième énoncé d&#x27;essai." in page
    assert not Instrument.objects.exists()  # nothing saved before the confirmation

    response = client.post(IMPORT, {"action": "confirm", "source": DEFINITION.replace("\n", "\r\n")})
    instrument = Instrument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(instrument)
    assert (instrument.platform, instrument.code, instrument.version) == (platform, "essai-test", "1")
    assert (instrument.name, instrument.language, instrument.licence) == ("Essai pour les tests", "fr", "free")
    assert instrument.is_demo is False and instrument.active is True
    assert instrument.source_text == DEFINITION  # line ends as in the file
    assert instrument.definition["reverse_items"] == ["a3"]
    assert instrument.imported_by == coordinator.user
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="observatory.instrument")
    assert entry.object_id == str(instrument.pk) and entry.actor == coordinator.user
    assert "definition" in entry.fields and "licence" in entry.fields
    assert "L&#x27;instrument « Essai pour les tests » est importé." in client.get(_detail(instrument)).content.decode()


def test_the_confirmation_checks_the_text_again(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(IMPORT, {"action": "confirm", "source": INVALID})
    assert response.status_code == 400
    assert "Ligne 22 :" in response.content.decode()
    assert not Instrument.objects.exists()


def test_the_same_version_is_refused(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    _import(other_platform)  # another platform's copy does not count
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.post(IMPORT, {"text": DEFINITION}).status_code == 200
    _import(platform)
    response = client.post(IMPORT, {"text": DEFINITION})
    assert response.status_code == 400
    assert "Cette version est déjà importée." in response.content.decode()
    response = client.post(IMPORT, {"action": "confirm", "source": DEFINITION})
    assert response.status_code == 400
    assert "Cette version est déjà importée." in response.content.decode()
    assert Instrument.objects.filter(platform=platform).count() == 1
    # A new version of the same instrument is welcome.
    assert client.post(IMPORT, {"action": "confirm", "source": DEFINITION.replace('"1"', '"2"')}).status_code == 302
    assert Instrument.objects.filter(platform=platform).count() == 2


# ---- List and detail


def test_the_list_shows_each_instrument_with_its_licence_in_words(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    _import(platform, is_demo=True)
    waiting = _import(platform, DEFINITION.replace("essai-test", "sous-autorisation"), licence=Licence.PERMISSION)
    permitted = _import(platform, DEFINITION.replace("essai-test", "autorisee"), licence=Licence.LICENCE, active=False)
    LicencePermission.objects.create(
        platform=platform,
        instrument=permitted,
        reference="Licence n° 12",
        granted_on=timezone.localdate() - timedelta(days=3),
        recorded_by=coordinator.user,
    )
    page = client.get(LIST).content.decode()
    assert "Libre" in page
    assert "démonstration — non validé" in page
    assert "Autorisation des auteurs nécessaire — pas encore notée : ne peut pas être utilisé" in page
    today = timezone.localdate()
    assert f"Licence nécessaire — autorisation notée le {today.day} " in page
    assert page.count("Essai pour les tests") == 3
    assert ">Non<" in page  # not offered for campaigns
    assert waiting.pk and _detail(waiting) in page


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_instruments(
    platform: Platform, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    _import(platform, licence=Licence.PERMISSION)
    client.get(LIST)
    with django_assert_max_num_queries(30) as small:
        client.get(LIST)
    for number in range(2, 8):
        instrument = _import(platform, DEFINITION.replace("essai-test", f"essai-{number}"), licence=Licence.PERMISSION)
        LicencePermission.objects.create(
            platform=platform,
            instrument=instrument,
            reference="Accord",
            granted_on=timezone.localdate(),
            recorded_by=coordinator.user,
        )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(LIST)
    assert response.content.decode().count("Essai pour les tests") == 7
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_detail_shows_the_definition_in_words(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform)
    page = client.get(_detail(instrument)).content.decode()
    assert "Un instrument écrit pour les tests." in page
    assert "Tout à fait" in page and "Sans objet" in page and "compte comme une réponse manquante" in page
    assert 'Troisième énoncé d&#x27;essai. <span class="muted">(a3)</span> <span class="badge">inversé</span>' in page
    assert "sa réponse vaut 5 moins la valeur choisie (1 compte comme 4)" in page
    assert "somme des réponses, convertie par une table, au moins 2 items répondus par dimension" in page
    assert '<caption id="caption-conversion">' in page
    assert '<th scope="row">4</th><td>1,5</td>' in page
    assert "Autorisation d'usage" not in page  # a free instrument needs none


def test_a_mean_rule_with_a_share_is_said_as_a_percentage(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    text = DEFINITION.replace("method: sum", "method: mean").replace("min_answered: 2", "min_answered: 0.6")
    text = text.split("  conversion:")[0]
    instrument = _import(platform, text)
    page = client.get(_detail(instrument)).content.decode()
    assert "moyenne des items répondus, au moins 60 % d&#x27;items répondus par dimension" in page


# ---- Permissions and the licence gate


def test_a_recorded_permission_makes_the_instrument_usable(platform: Platform, client_as: Any) -> None:
    client, coordinator = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform, licence=Licence.PERMISSION)
    page = client.get(_detail(instrument)).content.decode()
    assert "Aucune autorisation notée : l'instrument ne peut pas être utilisé." in page
    with pytest.raises(ValidationError) as refused:
        require_usable(instrument)
    assert refused.value.messages == [
        "Cet instrument demande une autorisation de ses auteurs : notez-la avant de lancer une campagne."
    ]
    today = timezone.localdate()
    response = client.post(
        _detail(instrument),
        {
            "action": "permission",
            "reference": "Accord écrit des auteurs, courriel du 12 mars",
            "granted_on": (today - timedelta(days=10)).isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    permission = LicencePermission.objects.get()
    assert (permission.platform, permission.instrument, permission.recorded_by) == (
        platform,
        instrument,
        coordinator.user,
    )
    assert permission.reference == "Accord écrit des auteurs, courriel du 12 mars"
    require_usable(instrument)
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="observatory.licencepermission")
    assert entry.fields == ["granted_on", "reference", "valid_until"]
    page = client.get(_detail(instrument)).content.decode()
    assert "L&#x27;instrument peut maintenant être utilisé dans une campagne." in page
    assert "Accord écrit des auteurs, courriel du 12 mars" in page
    assert ">valable<" in page


def test_an_expired_permission_does_not_make_it_usable(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform, licence=Licence.LICENCE)
    today = timezone.localdate()
    response = client.post(
        _detail(instrument),
        {
            "action": "permission",
            "reference": "Licence 2024",
            "granted_on": (today - timedelta(days=400)).isoformat(),
            "valid_until": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        require_usable(instrument)
    page = client.get(_detail(instrument)).content.decode()
    assert "n&#x27;est pas valable aujourd&#x27;hui" in page
    assert "Licence nécessaire — pas encore notée : ne peut pas être utilisé" in page
    assert ">pas valable<" in page


def test_a_wrong_permission_is_refused_with_french_messages(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform, licence=Licence.PERMISSION)
    today = timezone.localdate()
    response = client.post(
        _detail(instrument),
        {
            "action": "permission",
            "reference": "",
            "granted_on": (today + timedelta(days=2)).isoformat(),
            "valid_until": today.isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez la référence de l&#x27;autorisation." in page
    assert "La fin de validité doit suivre la date de l&#x27;autorisation." in page
    response = client.post(
        _detail(instrument),
        {"action": "permission", "reference": "Accord", "granted_on": (today + timedelta(days=2)).isoformat()},
    )
    assert "La date de l&#x27;autorisation ne peut pas être dans le futur." in response.content.decode()
    assert not LicencePermission.objects.exists()


def test_a_free_instrument_is_usable_without_permission(platform: Platform) -> None:
    require_usable(_import(platform))


def test_an_instrument_can_stop_being_offered_for_campaigns(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform)
    response = client.post(_detail(instrument), {"action": "active", "active": "0"})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.active is False
    assert JournalEntry.objects.filter(action=Action.UPDATE, fields=["active"], object_id=str(instrument.pk)).exists()
    page = client.get(_detail(instrument)).content.decode()
    assert "L&#x27;instrument n&#x27;est plus proposé pour les nouvelles campagnes." in page
    assert "Proposer pour les campagnes" in page
    client.post(_detail(instrument), {"action": "active", "active": "1"})
    instrument.refresh_from_db()
    assert instrument.active is True


# ---- Demo instruments, roles


def test_the_demo_instruments_are_added_once(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    response = client.post(LIST, {"action": "demo"}, follow=True)
    assert "5 instruments de démonstration sont ajoutés." in response.content.decode()
    assert Instrument.objects.filter(platform=platform, is_demo=True).count() == len(demo_files()) == 5
    response = client.post(LIST, {"action": "demo"}, follow=True)
    assert "Les instruments de démonstration sont déjà là : rien n&#x27;a été ajouté." in response.content.decode()
    assert Instrument.objects.filter(platform=platform).count() == 5
    page = response.content.decode()
    assert page.count("démonstration — non validé") >= 5
    for instrument in Instrument.objects.all():
        assert client.get(_detail(instrument)).status_code == 200


@pytest.mark.parametrize("role", [Role.PEER_WORKER, Role.PARTNER_CONTACT, Role.PERSON, Role.FUNDER])
def test_only_coordinators_reach_the_instruments(platform: Platform, client_as: Any, role: Role) -> None:
    instrument = _import(platform)
    client, _ = client_as(role, platform)
    for url in (LIST, IMPORT, _detail(instrument)):
        assert client.get(url).status_code == 403
    assert client.post(IMPORT, {"action": "confirm", "source": DEFINITION}).status_code == 403
    assert Instrument.objects.count() == 1


def test_another_platforms_instrument_is_not_found(
    platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    instrument = _import(other_platform, licence=Licence.PERMISSION)
    client, _ = client_as(Role.COORDINATOR, platform)
    assert client.get(_detail(instrument)).status_code == 404
    response = client.post(_detail(instrument), {"action": "permission", "reference": "x", "granted_on": "2026-01-01"})
    assert response.status_code == 404
    assert not LicencePermission.objects.exists()


def test_the_coordinators_find_the_instruments_from_the_deployments(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    assert f'href="{LIST}"' in client.get("/deploiements/").content.decode()


def test_a_free_instrument_takes_no_permission(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    instrument = _import(platform)
    response = client.post(
        _detail(instrument), {"action": "permission", "reference": "Accord", "granted_on": "2026-01-01"}, follow=True
    )
    assert "Cet instrument est libre : aucune autorisation n&#x27;est à noter." in response.content.decode()
    assert not LicencePermission.objects.exists()
