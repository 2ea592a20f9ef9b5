"""The definition file: every validation error with its line, in French; round trip of as_dict()."""

from __future__ import annotations

import json

import pytest

from pairs.observatory.engine import Definition, DefinitionError, load_definition

# A small valid definition. Line numbers (used by the tests below) are in the right-hand comments.
BASE = """\
code: test-instrument
version: "2.1"
name: Instrument de test
language: fr
licence: permission
demo: false
description: Pour les tests.
scale:
  values: [1, 2, 3, 4]
  labels:
    1: Jamais
    4: Toujours
  missing:
    NA: Sans objet
versions:
  - key: pros
    label: Professionnels
    items:
      - key: q1
        text: Premier item.
      - key: q2
        text: Deuxième item.
      - key: q3
        text: Troisième item.
  - key: proches
    label: Proches
    items:
      - key: q1
        text: Premier item, pour les proches.
      - key: q4
        text: Item des proches.
reverse_items: [q2]
dimensions:
  - key: choix
    label: Choix
    items: [q1, q2]
  - key: accueil
    label: Accueil
    items: [q3, q4]
scoring:
  method: sum
  min_answered: 1
"""
# Lines: 1 code, 2 version, 3 name, 4 language, 5 licence, 6 demo, 7 description, 8 scale, 9 values,
# 10 labels, 13 missing, 14 NA, 15 versions, 16 "- key: pros", 18 items, 19 q1, 21 q2, 23 q3,
# 25 "- key: proches", 28 q1, 30 q4, 32 reverse_items, 33 dimensions, 34 choix, 36 its items,
# 37 accueil, 39 its items, 40 scoring, 41 method, 42 min_answered.


def errors_of(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        load_definition(text)
    return raised.value.messages()


def test_the_base_definition_loads():
    definition = load_definition(BASE)
    assert definition.code == "test-instrument"
    assert definition.version == "2.1"
    assert definition.licence == "permission"
    assert definition.scale.values == (1, 2, 3, 4)
    assert definition.scale.labels == {1: "Jamais", 4: "Toujours"}
    assert definition.scale.missing == {"NA": "Sans objet"}
    pros, proches = definition.versions
    assert [(item.key, item.reverse) for item in pros.items] == [("q1", False), ("q2", True), ("q3", False)]
    assert proches.item_keys() == ("q1", "q4")
    assert definition.dimension_items("proches", "choix") == ("q1",)
    assert definition.dimension_items("proches", "accueil") == ("q4",)
    assert definition.scoring.method == "sum"
    assert definition.scoring.min_answered == 1
    assert definition.scoring.conversion is None


def test_as_dict_is_json_and_round_trips_through_from_dict_and_load_definition():
    definition = load_definition(BASE)
    stored = json.loads(json.dumps(definition.as_dict()))  # what a JSONField gives back
    assert Definition.from_dict(stored) == definition
    assert load_definition(json.dumps(stored, indent="\t")) == definition  # JSON, even tab-indented


def test_from_dict_checks_again_without_line_numbers():
    data = load_definition(BASE).as_dict()
    data["dimensions"][0]["items"].append("q99")
    with pytest.raises(DefinitionError) as raised:
        Definition.from_dict(data)
    assert raised.value.messages() == ["La dimension « choix » cite l'item « q99 », qui n'existe pas."]


def test_a_dimension_citing_a_missing_item_is_rejected_with_its_line():
    text = BASE.replace("items: [q3, q4]", "items: [q3, q99]")
    assert errors_of(text) == ["Ligne 39 : la dimension « accueil » cite l'item « q99 », qui n'existe pas."]


def test_several_errors_are_all_reported_sorted_by_line():
    text = BASE.replace("min_answered: 1", "min_answered: 5").replace("licence: permission", "licence: gratuite")
    text = text.replace("items: [q1, q2]", "items: [q1, q1]")
    assert errors_of(text) == [
        "Ligne 5 : la licence « gratuite » n'existe pas : écrivez « free » (libre), « permission » "
        "(autorisation des auteurs nécessaire) ou « licence » (licence nécessaire).",
        "Ligne 36 : la dimension « choix » cite l'item « q1 » deux fois.",
        "Ligne 42 : au moins 5 réponses sont demandées, mais la dimension « choix » n'a que 1 item "
        "dans la version « pros ».",
    ]


def test_the_error_message_string_joins_the_messages():
    with pytest.raises(DefinitionError) as raised:
        load_definition(BASE.replace("language: fr", "language: français"))
    assert str(raised.value) == "Ligne 4 : la langue « français » doit être un code comme « fr » ou « fr-CA »."
    assert raised.value.errors == [(4, "la langue « français » doit être un code comme « fr » ou « fr-CA ».")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # required keys
        ("name: Instrument de test\n", "", "Ligne 1 : la clé obligatoire « name » manque dans l'instrument."),
        (
            "  method: sum\n",
            "",
            "Ligne 41 : la clé obligatoire « method » manque dans la règle de score (« scoring »).",
        ),
        (
            "        text: Deuxième item.\n",
            "",
            "Ligne 21 : la clé obligatoire « text » manque dans l'item n° 2 de la version « pros ».",
        ),
        # unknown keys
        (
            "demo: false",
            "demo: false\nauteurs: X",
            "Ligne 7 : la clé « auteurs » n'est pas reconnue dans l'instrument (clés possibles : code, version, "
            "name, language, licence, demo, description, scale, versions, reverse_items, dimensions, scoring).",
        ),
        (
            "    label: Choix\n",
            "    label: Choix\n    poids: 2\n",
            "Ligne 36 : la clé « poids » n'est pas reconnue dans la dimension n° 1 "
            "(clés possibles : key, label, description, items).",
        ),
        # types
        (
            'version: "2.1"',
            "version: 2.1",
            "Ligne 2 : la version doit être un texte : écrivez « 2.1 » entre guillemets.",
        ),
        ("demo: false", "demo: oui", "Ligne 6 : « demo » doit valoir true ou false, pas un texte."),
        (
            "    items: [q1, q2]",
            "    items: q1",
            "Ligne 36 : la liste des items de la dimension « choix » doit être une liste (des lignes commençant par "
            "« - »), pas un texte.",
        ),
        (
            "reverse_items: [q2]",
            "reverse_items: q2",
            "Ligne 32 : « reverse_items » doit être une liste de clés d'items.",
        ),
        (
            "scoring:\n  method: sum\n  min_answered: 1\n",
            "scoring: sum\n",
            "Ligne 40 : la règle de score (« scoring ») doit être un bloc de clés (par exemple « key: … »), "
            "pas un texte.",
        ),
        (
            "code: test-instrument",
            "code: Test Instrument",
            "Ligne 1 : le code « Test Instrument » doit être fait de lettres minuscules sans accent, de chiffres "
            "et de tirets, par exemple « espoir-demo ».",
        ),
        # unique item keys per version
        (
            "        text: Troisième item.\n",
            "        text: Troisième item.\n      - key: q1\n        text: Encore.\n",
            "Ligne 25 : l'item « q1 » apparaît deux fois dans la version « pros ».",
        ),
        (
            "  - key: proches\n",
            "  - key: pros\n",
            "Ligne 25 : la version « pros » est déjà définie plus haut.",
        ),
        # reverse items must be items
        (
            "reverse_items: [q2]",
            "reverse_items: [q2, q7]",
            "Ligne 32 : l'item inversé « q7 » n'existe dans aucune version.",
        ),
        # scale values: integers, ascending
        (
            "values: [1, 2, 3, 4]",
            "values: [1, 2, 2.5, 4]",
            "Ligne 9 : les valeurs de l'échelle doivent être des nombres entiers, pas « 2.5 ».",
        ),
        (
            "values: [1, 2, 3, 4]",
            "values: [1, 3, 2, 4]",
            "Ligne 9 : les valeurs de l'échelle doivent être rangées dans l'ordre croissant, sans doublon.",
        ),
        (
            "    4: Toujours",
            "    5: Toujours",
            "Ligne 12 : le libellé « 5 » ne correspond à aucune valeur de l'échelle.",
        ),
        # missing codes must not collide with the values
        (
            "    NA: Sans objet",
            "    3: Sans objet",
            "Ligne 14 : le code manquant « 3 » est aussi une valeur de l'échelle : choisissez un code en lettres, "
            "comme « NA ».",
        ),
        # min_answered in range
        (
            "min_answered: 1",
            "min_answered: 0",
            "Ligne 42 : « min_answered » doit être au moins 1 (un nombre d'items) ou une part entre 0 et 1, comme 0.6.",
        ),
        (
            "min_answered: 1",
            "min_answered: 1.5",
            "Ligne 42 : « min_answered » vaut « 1.5 » : écrivez un nombre entier d'items (par exemple 8) ou une "
            "part entre 0 et 1 (par exemple 0.6 pour 60 %).",
        ),
        (
            "method: sum",
            "method: median",
            "Ligne 41 : la méthode « median » n'existe pas : écrivez « mean » (moyenne) ou « sum » (somme).",
        ),
        # YAML syntax errors with their line
        (
            "        text: Troisième item.",
            "        text: Troisième item : le retour.",
            "Ligne 24 : erreur de syntaxe : deux-points inattendu (une valeur qui contient « : » s'écrit entre "
            "guillemets).",
        ),
        (
            "    label: Proches\n",
            "    label: Proches\n\titems: []\n",
            "Ligne 27 : erreur de syntaxe : une tabulation est interdite : indentez avec des espaces.",
        ),
        (
            "name: Instrument de test",
            'name: "Instrument de test',
            "Ligne 3 : erreur de syntaxe : un guillemet ou un crochet ouvert ici n'est jamais fermé.",
        ),
        # duplicated keys
        (
            "language: fr",
            "language: fr\nlanguage: en",
            "Ligne 5 : la clé « language » apparaît deux fois ; ne la gardez qu'une fois.",
        ),
    ],
)
def test_each_validation_error_names_its_line(old, new, expected):
    assert old in BASE
    assert errors_of(BASE.replace(old, new)) == [expected]


CONVERSION = """\
code: conversion
version: "1"
name: Conversion
language: fr
licence: licence
scale:
  values: [1, 2, 3]
versions:
  - key: v
    label: Version
    items:
      - {key: a, text: A}
      - {key: b, text: B}
dimensions:
  - {key: total, label: Total, items: [a, b]}
scoring:
  method: sum
  min_answered: 2
  conversion:
    2: 10.0
    3: 20.5
    4: 30
    5: 40.5
    6: 50.0
"""
# Two items scored 1 to 3: the raw sum goes from 2 to 6; the table is on lines 20 to 24.


def test_a_conversion_table_covering_the_raw_range_loads():
    definition = load_definition(CONVERSION)
    assert definition.scoring.conversion == {2: 10.0, 3: 20.5, 4: 30.0, 5: 40.5, 6: 50.0}
    assert definition.licence == "licence"
    assert definition.demo is False


def test_a_conversion_table_must_cover_every_possible_raw_score():
    text = CONVERSION.replace("    3: 20.5\n", "").replace("    4: 30\n", "")
    assert errors_of(text) == [
        "Ligne 20 : la table de conversion ne donne pas de score pour les scores bruts 3 à 4 "
        "(la dimension « total » va de 2 à 6)."
    ]


def test_a_conversion_table_refuses_impossible_raw_scores_and_non_numbers():
    text = CONVERSION.replace("    6: 50.0\n", "    6: 50.0\n    9: 90.0\n").replace("5: 40.5", "5: beaucoup")
    assert errors_of(text) == [
        "Ligne 23 : le score converti du score brut 5 doit être un nombre, pas « beaucoup ».",
        "Ligne 25 : le score brut 9 est impossible avec cette échelle et ces dimensions.",
    ]


def test_a_conversion_table_needs_a_sum():
    text = CONVERSION.replace("method: sum", "method: mean")
    assert errors_of(text) == [
        "Ligne 20 : une table de conversion ne s'applique qu'à un score en somme (« method: sum »)."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Ligne 1 : le fichier est vide."),
        ("# rien\n", "Ligne 1 : le fichier est vide."),
        (
            "- a\n- b\n",
            "Ligne 1 : le fichier doit décrire un instrument, avec des clés comme « code », « name », « versions ».",
        ),
        (
            "code: a\n---\ncode: b\n",
            "Ligne 2 : erreur de syntaxe : le fichier contient plusieurs documents (« --- ») ; il n'en faut qu'un.",
        ),
        (
            '{"code": "a",\n "name": }\n}',
            "Ligne 3 : erreur de syntaxe : le fichier n'est pas un YAML ou un JSON valide.",
        ),
    ],
)
def test_files_that_are_not_definitions(text, expected):
    assert errors_of(text) == [expected]


def test_an_empty_versions_list_and_missing_items():
    text = BASE.replace("    items: [q1, q2]", "    items: []")
    assert errors_of(text) == ["Ligne 36 : la liste des items de la dimension « choix » est vide."]


def test_alias_bombs_are_refused():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 8):
        previous = chr(ord("a") + index - 1)
        current = chr(ord("a") + index)
        lines.append(f"{current}: &{current} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]")
    assert errors_of("\n".join(lines)) == ["Ligne 1 : le fichier est trop volumineux ou trop imbriqué."]


def test_python_tags_are_never_constructed():
    text = BASE.replace("name: Instrument de test", "name: !!python/name:os.system")
    assert errors_of(text) == ["Ligne 3 : les étiquettes YAML comme « !!python » ou « ! » ne sont pas acceptées."]
    text = BASE.replace("name: Instrument de test", "name: !!python/object/apply:os.system ['true']")
    assert errors_of(text) == ["Ligne 3 : le nom doit être un texte, pas une liste."]


def test_an_impossible_date_is_unreadable_not_a_crash():
    text = BASE.replace("description: Pour les tests.", "description: 2024-02-30")
    assert errors_of(text) == ["Ligne 7 : la valeur « 2024-02-30 » est illisible."]


def test_an_empty_label_is_reported():
    assert errors_of(BASE.replace("    label: Proches\n", "    label:\n")) == [
        "Ligne 26 : le libellé de la version « proches » est vide."
    ]
