"""The five demonstration instruments shipped with the software: written by the project, labelled
"démonstration — non validé", free, and together covering every scoring feature."""

from __future__ import annotations

import pytest

from pairs.observatory.engine import DEMO_INSTRUMENTS_DIR, Definition, demo_files, load_definition, score_answers

LABEL = "(démonstration — non validé)"


def demo(name: str):
    return load_definition((DEMO_INSTRUMENTS_DIR / name).read_text(encoding="utf-8"))


def test_the_shipped_files_are_the_five_demos():
    assert [path.name for path in demo_files()] == [
        "auto-evaluation-equipe-demo.yaml",
        "bien-etre-court-demo.yaml",
        "croyances-professionnels-demo.yaml",
        "espoir-demo.yaml",
        "satisfaction-evenement-demo.yaml",
    ]
    # Nothing else (no licensed instrument) is shipped in the folder.
    assert sorted(path.name for path in DEMO_INSTRUMENTS_DIR.iterdir()) == [path.name for path in demo_files()]


@pytest.mark.parametrize("path", demo_files(), ids=lambda path: path.name)
def test_every_demo_is_labelled_free_and_round_trips(path):
    text = path.read_text(encoding="utf-8")
    definition = load_definition(text)
    assert definition.demo is True
    assert definition.licence == "free"
    assert definition.language == "fr"
    assert definition.name.endswith(LABEL)
    assert "non validé" in definition.description
    assert text.startswith("# Instrument de démonstration écrit pour Pairs Ressources.")
    assert Definition.from_dict(definition.as_dict()) == definition


def test_team_self_assessment_has_three_perspectives_and_five_dimensions():
    definition = demo("auto-evaluation-equipe-demo.yaml")
    assert [version.key for version in definition.versions] == ["professionnels", "personnes", "proches"]
    assert [len(version.items) for version in definition.versions] == [15, 15, 15]
    assert len(definition.dimensions) == 5
    assert definition.scale.values == (1, 2, 3, 4, 5)
    assert definition.scale.missing == {"NA": "Sans objet", "DK": "Ne sait pas"}
    assert definition.scoring.method == "mean"
    assert definition.scoring.min_answered == 0.6
    # Relatives answer their own item in "participation" instead of the one on written documents.
    assert definition.dimension_items("proches", "participation") == (
        "participation_1",
        "participation_3",
        "participation_proches",
    )
    assert definition.dimension_items("professionnels", "participation") == (
        "participation_1",
        "participation_2",
        "participation_3",
    )


def test_team_self_assessment_scores():
    definition = demo("auto-evaluation-equipe-demo.yaml")
    answers: dict[str, int | str | None] = {
        item.key: 4 for item in definition.respondent_version("professionnels").items
    }
    answers.update({"projets_1": 5, "projets_2": 3, "projets_3": "NA", "choix_1": "DK", "choix_2": None})
    # projets: (5 + 3) / 2 = 4.0 (2 answers of 3, 2 required); choix: 1 answer of 3 → no score;
    # the other dimensions: 4.0
    assert score_answers(definition, "professionnels", answers) == {
        "projets": 4.0,
        "participation": 4.0,
        "choix": None,
        "soutiens": 4.0,
        "climat": 4.0,
    }
    proches = {"projets_1": 2, "projets_2": 3, "projets_3": 3, "participation_proches": 5, "participation_1": "DK"}
    # projets: (2 + 3 + 3) / 3 = 2.667; participation: 1 answer of 3 → no score; the rest unanswered
    scores = score_answers(definition, "proches", proches)
    assert scores["projets"] == pytest.approx(8 / 3)
    assert scores["participation"] is None
    assert scores["climat"] is None


def test_hope_scale_sums_ten_items_with_two_reversed():
    definition = demo("espoir-demo.yaml")
    (version,) = definition.versions
    assert version.key == "personne"
    assert len(version.items) == 10
    assert [item.key for item in version.items if item.reverse] == ["e5", "e8"]
    assert definition.scale.values == (1, 2, 3, 4)
    assert (definition.scoring.method, definition.scoring.min_answered) == ("sum", 8)
    answers = {f"e{number}": 4 for number in range(1, 11)} | {"e5": 1, "e8": 1}
    # 8 × 4 + (5 − 1) + (5 − 1) = 40, the highest hope score
    assert score_answers(definition, "personne", answers) == {"total": 40.0}
    # two unanswered: 8 × 4 = 32 over 8 answers, mean 4, prorated to 40
    assert score_answers(definition, "personne", answers | {"e1": None, "e2": "NR"}) == {"total": 40.0}
    # three unanswered: no score
    assert score_answers(definition, "personne", answers | {"e1": None, "e2": "NR", "e3": None}) == {"total": None}


def test_short_wellbeing_scale_converts_its_raw_sum():
    definition = demo("bien-etre-court-demo.yaml")
    (version,) = definition.versions
    assert len(version.items) == 7
    assert definition.scale.values == (1, 2, 3, 4, 5)
    table = definition.scoring.conversion
    assert table is not None
    assert sorted(table) == list(range(7, 36))
    assert all(round(value, 1) == value for value in table.values())  # one decimal
    assert [table[7], table[35]] == [0.0, 100.0]
    assert all(table[raw] < table[raw + 1] for raw in range(7, 35))
    answers = {f"b{number}": 3 for number in range(1, 8)}
    # 7 × 3 = 21 → table[21]
    assert score_answers(definition, "personne", answers) == {"total": table[21]}
    # every item is required before converting
    assert score_answers(definition, "personne", answers | {"b7": None}) == {"total": None}


def test_the_example_in_the_guide_loads():
    guide = (DEMO_INSTRUMENTS_DIR.parents[2] / "docs" / "guide" / "observatoire-instruments.md").read_text()
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    definition = load_definition(example)
    assert definition.dimension_items("personnes", "choix") == ("q1",)
    # q2 is reversed: 1 + 5 − 1 = 5; mean (4 + 5) / 2 = 4.5
    assert score_answers(definition, "professionnels", {"q1": 4, "q2": 1}) == {"choix": 4.5}


def test_professionals_beliefs_are_scored_0_to_4_summed_with_one_reverse_item():
    definition = demo("croyances-professionnels-demo.yaml")
    assert [version.key for version in definition.versions] == ["professionnels"]
    assert definition.scale.values == (0, 1, 2, 3, 4)
    answers = {"c1": 4, "c2": 3, "c3": 3, "c4": 4, "c5": 1, "c6": 2, "c7": 3, "c8": 4}
    # c5 is reversed: 0 + 4 − 1 = 3; sum = 4 + 3 + 3 + 4 + 3 + 2 + 3 + 4 = 26
    assert score_answers(definition, "professionnels", answers) == {"croyances": 26.0}
    # Two left out (6 answered, the minimum): mean of the six (4+3+3+4+3+2)/6 = 19/6, × 8 = 25.33…
    partial = {key: value for key, value in answers.items() if key not in ("c7", "c8")}
    assert score_answers(definition, "professionnels", partial)["croyances"] == pytest.approx(152 / 6)
    del partial["c6"]
    assert score_answers(definition, "professionnels", partial) == {"croyances": None}


def test_event_feedback_is_a_mean_of_at_least_three_answers():
    definition = demo("satisfaction-evenement-demo.yaml")
    assert [version.key for version in definition.versions] == ["participants"]
    # (5 + 4 + 4) / 3 = 4.33…; two left out is allowed (3 answered), three is not.
    assert score_answers(definition, "participants", {"s1": 5, "s2": 4, "s3": 4})["satisfaction"] == pytest.approx(
        13 / 3
    )
    assert score_answers(definition, "participants", {"s1": 5, "s2": "NC"}) == {"satisfaction": None}
