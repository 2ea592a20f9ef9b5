"""The sections of a crisis plan, as data: the editor, the version comparison, the shared view and
the PDF all read this one list. Content is one JSON document ``{section: {field: value}}`` where a
value is a string, or for "rows" fields a list of small dicts; it is stored encrypted
(``encode``/``decode``). Plain French, short sentences: the person writes it, possibly in
difficulty."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pairs.core.crypto import decrypt, encrypt

TEXT_MAX = 4000
LINE_MAX = 200

Label = str | Promise


@dataclass(frozen=True)
class Field:
    key: str
    label: Label
    kind: str = "text"  # "text" (several lines), "line" (one line) or "rows" (a small table)
    help: Label = ""
    columns: tuple[tuple[str, Label], ...] = ()  # for "rows": (key, label) of each column
    max_rows: int = 5


@dataclass(frozen=True)
class Section:
    key: str
    title: Label
    help: Label = ""
    fields: tuple[Field, ...] = field(default_factory=tuple)


NOT_BINDING = _(
    "Ce document dit ce que je souhaite si je traverse une crise. Il n'oblige pas légalement les "
    "professionnel·les, qui en tiennent compte autant que possible. Le seul rôle reconnu par la loi est "
    "celui de la personne de confiance (article L1111-6 du Code de la santé publique)."
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        _("Qui je suis"),
        _("Comment vous souhaitez être présenté·e : le nom que vous choisissez, ce qui compte pour vous."),
        (
            Field("name", _("Le nom que je choisis"), "line"),
            Field("about", _("Ce que j'aimerais qu'on sache de moi")),
        ),
    ),
    Section(
        "trusted_person",
        _("Ma personne de confiance"),
        _(
            "La personne de confiance peut m'accompagner et être consultée si je ne peux plus m'exprimer. "
            "C'est le seul rôle reconnu par la loi. Elle doit avoir accepté."
        ),
        (
            Field("name", _("Son nom"), "line"),
            Field("relation", _("Qui elle est pour moi"), "line"),
            Field("phone", _("Son téléphone"), "line"),
            Field("email", _("Son adresse e-mail"), "line"),
        ),
    ),
    Section(
        "contacts",
        _("Les autres personnes à prévenir"),
        _("Cinq au plus. Qui s'occupe de quoi : les enfants, les animaux, le logement, le travail, les factures…"),
        (
            Field(
                "people",
                _("Personnes à prévenir"),
                "rows",
                columns=(("name", _("Nom")), ("role", _("Ce dont elle s'occupe")), ("phone", _("Téléphone"))),
            ),
        ),
    ),
    Section(
        "decide",
        _("Je peux décider, sauf quand…"),
        _("Ce que vous pouvez décider vous-même, et à partir de quand vous souhaitez que d'autres vous aident."),
        (Field("text", _("Je peux décider, sauf quand…")),),
    ),
    Section(
        "warning_signs",
        _("Les signes que je vais moins bien"),
        _("Ce que vous remarquez, ou ce que vos proches remarquent, quand une crise approche."),
        (Field("text", _("Les premiers signes")),),
    ),
    Section(
        "triggers",
        _("Ce qui peut déclencher une crise"),
        "",
        (Field("text", _("Ce qui peut déclencher une crise")),),
    ),
    Section(
        "helps",
        _("Ce qui m'aide, ce qui ne m'aide pas"),
        "",
        (
            Field("before_helps", _("Avant une crise, ce qui m'aide")),
            Field("before_not", _("Avant une crise, ce qui ne m'aide pas")),
            Field("during_helps", _("Pendant une crise, ce qui m'aide")),
            Field("during_not", _("Pendant une crise, ce qui ne m'aide pas")),
        ),
    ),
    Section(
        "ending_signs",
        _("Les signes que la crise se termine"),
        "",
        (Field("text", _("Les signes que la crise se termine")),),
    ),
    Section(
        "treatments",
        _("Traitements et allergies"),
        _("Les traitements qui vous ont aidé·e et ceux à éviter : le nom, l'effet, vos remarques."),
        (
            Field(
                "helped",
                _("Traitements qui m'ont aidé·e"),
                "rows",
                columns=(("name", _("Nom")), ("effect", _("Effet")), ("remarks", _("Remarques"))),
            ),
            Field(
                "avoid",
                _("Traitements à éviter"),
                "rows",
                columns=(("name", _("Nom")), ("effect", _("Effet")), ("remarks", _("Remarques"))),
            ),
            Field("allergies", _("Allergies")),
        ),
    ),
    Section(
        "care_places",
        _("Les lieux de soins"),
        "",
        (
            Field("preferred", _("Les lieux où je préfère être soigné·e")),
            Field("refused", _("Les lieux où je ne souhaite pas aller")),
            Field("alternatives", _("D'autres solutions possibles (chez un proche, un lieu de répit…)")),
        ),
    ),
    Section(
        "professionals",
        _("Les professionnel·les"),
        "",
        (
            Field("wanted", _("Les professionnel·les que je souhaite voir")),
            Field("not_wanted", _("Les professionnel·les que je ne souhaite pas voir")),
        ),
    ),
    Section(
        "practical",
        _("Questions pratiques"),
        _("Les clés, le courrier, les rendez-vous à annuler, les personnes à ne pas prévenir…"),
        (Field("text", _("Questions pratiques")),),
    ),
    Section("notes", _("Notes libres"), "", (Field("text", _("Ce que je veux ajouter")),)),
)

BY_KEY = {section.key: section for section in SECTIONS}


def empty_content() -> dict[str, Any]:
    return {}


def clean_section(section: Section, data: dict[str, Any]) -> dict[str, Any]:
    """What is kept of a submitted section: known fields only, stripped, cut to their maximum length;
    rows without any text dropped, five rows at most. Empty values are left out."""
    kept: dict[str, Any] = {}
    for item in section.fields:
        raw = data.get(item.key)
        if item.kind == "rows":
            rows = []
            for row in raw if isinstance(raw, list) else []:
                if not isinstance(row, dict):
                    continue
                cleaned = {key: str(row.get(key) or "").strip()[:LINE_MAX] for key, _label in item.columns}
                if any(cleaned.values()):
                    rows.append(cleaned)
            if rows:
                kept[item.key] = rows[: item.max_rows]
        else:
            limit = LINE_MAX if item.kind == "line" else TEXT_MAX
            text = str(raw or "").strip()[:limit]
            if text:
                kept[item.key] = text
    return kept


def is_filled(content: dict[str, Any], section: Section) -> bool:
    return bool(content.get(section.key))


def encode(content: dict[str, Any]) -> bytes:
    return encrypt(json.dumps(content, ensure_ascii=False, sort_keys=True))


def decode(token: bytes | memoryview | None) -> dict[str, Any]:
    if not token:
        return {}
    loaded = json.loads(decrypt(token))
    return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True)
class ShownField:
    label: str
    text: str = ""  # for text and line fields
    columns: tuple[str, ...] = ()  # for rows: the column labels
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    fields: tuple[ShownField, ...]

    @property
    def filled(self) -> bool:
        return any(f.text or f.rows for f in self.fields)


def readable(content: dict[str, Any]) -> list[ShownSection]:
    """Every section with its labels and values, for reading, comparing and printing."""
    shown = []
    for section in SECTIONS:
        values = content.get(section.key) or {}
        fields = []
        for item in section.fields:
            value = values.get(item.key)
            if item.kind == "rows":
                rows = tuple(
                    tuple(str(row.get(key, "")) for key, _label in item.columns)
                    for row in (value if isinstance(value, list) else [])
                )
                fields.append(
                    ShownField(str(item.label), columns=tuple(str(lbl) for _k, lbl in item.columns), rows=rows)
                )
            else:
                fields.append(ShownField(str(item.label), text=str(value or "")))
        shown.append(ShownSection(section.key, str(section.title), tuple(fields)))
    return shown
