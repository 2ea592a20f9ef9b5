"""Instrument definitions: the file format (YAML, or JSON, which YAML reads too), its validation with
line-precise French messages, and the frozen dataclasses the rest of the Observatoire works with.

The format is described for platforms in docs/guide/observatoire-instruments.md. The checks are
written out here, without a schema library, so that every message names the line of the offending
node and says in plain French what to change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[Any, ...]

LICENCES = ("free", "permission", "licence")
METHODS = ("mean", "sum")

_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")
_INTEGER = re.compile(r"^-?[0-9]+$")

_MAX_NODES = 50_000
_MAX_DEPTH = 20


class DefinitionError(Exception):
    """An invalid definition: every problem found, as (line in the file, French message), by line."""

    def __init__(self, errors: Iterable[tuple[int | None, str]]) -> None:
        self.errors: list[tuple[int | None, str]] = sorted(errors, key=lambda error: (error[0] is None, error[0] or 0))
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        return [_capitalise(message) if line is None else f"Ligne {line} : {message}" for line, message in self.errors]


def _capitalise(message: str) -> str:
    return message[:1].upper() + message[1:]


# -- the dataclasses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    values: tuple[int, ...]  # ascending
    labels: dict[int, str]  # value -> label, for some or all values
    missing: dict[str, str]  # missing code (e.g. "NA") -> label ("Sans objet")

    @property
    def low(self) -> int:
        return self.values[0]

    @property
    def high(self) -> int:
        return self.values[-1]


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class RespondentVersion:
    """The questionnaire as one perspective answers it (professionals, people, relatives…)."""

    key: str
    label: str
    items: tuple[Item, ...]
    instructions: str = ""

    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


Perspective = RespondentVersion


@dataclass(frozen=True)
class Dimension:
    """A subscale. It lists item keys; in each respondent version, the listed items that version has
    make up the dimension for that version."""

    key: str
    label: str
    items: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Scoring:
    """``min_answered`` is a whole number of items (8: at least eight answered items), or a decimal
    number above 0 and at most 1, the share of the dimension's items in the respondent's version
    (0.6: at least 60 %, rounded up). ``conversion`` maps a raw sum to the reported score."""

    method: str  # "mean" | "sum"
    min_answered: int | float
    conversion: dict[int, float] | None = None

    def required_answers(self, item_count: int) -> int:
        """How many valid answers a dimension of ``item_count`` items needs to be scored."""
        if isinstance(self.min_answered, int):
            return self.min_answered
        return math.ceil(Fraction(str(self.min_answered)) * item_count)


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    name: str
    language: str
    licence: str  # "free" | "permission" | "licence"
    demo: bool
    description: str
    scale: Scale
    versions: tuple[RespondentVersion, ...]
    dimensions: tuple[Dimension, ...]
    scoring: Scoring
    _index: dict[str, RespondentVersion] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({version.key: version for version in self.versions})

    def respondent_version(self, key: str) -> RespondentVersion:
        try:
            return self._index[key]
        except KeyError:
            raise ValueError(f"L'instrument « {self.code} » n'a pas de version « {key} ».") from None

    def dimension_items(self, version_key: str, dimension_key: str) -> tuple[str, ...]:
        """The keys of the items of a dimension in one respondent version, in the dimension's order."""
        present = set(self.respondent_version(version_key).item_keys())
        dimension = next((d for d in self.dimensions if d.key == dimension_key), None)
        if dimension is None:
            raise ValueError(f"L'instrument « {self.code} » n'a pas de dimension « {dimension_key} ».")
        return tuple(key for key in dimension.items if key in present)

    def dimensions_for(self, version_key: str) -> tuple[Dimension, ...]:
        """The dimensions with at least one item in this respondent version (the ones it scores)."""
        return tuple(d for d in self.dimensions if self.dimension_items(version_key, d.key))

    def as_dict(self) -> dict[str, Any]:
        """The definition in the file format, JSON-serialisable (integer map keys become strings)."""
        reverse = sorted({item.key for version in self.versions for item in version.items if item.reverse})
        data: dict[str, Any] = {
            "code": self.code,
            "version": self.version,
            "name": self.name,
            "language": self.language,
            "licence": self.licence,
            "demo": self.demo,
            "description": self.description,
            "scale": {
                "values": list(self.scale.values),
                "labels": {str(value): label for value, label in self.scale.labels.items()},
                "missing": dict(self.scale.missing),
            },
            "versions": [
                {
                    "key": version.key,
                    "label": version.label,
                    "instructions": version.instructions,
                    "items": [{"key": item.key, "text": item.text} for item in version.items],
                }
                for version in self.versions
            ],
            "reverse_items": reverse,
            "dimensions": [
                {"key": d.key, "label": d.label, "description": d.description, "items": list(d.items)}
                for d in self.dimensions
            ],
            "scoring": {"method": self.scoring.method, "min_answered": self.scoring.min_answered},
        }
        if self.scoring.conversion is not None:
            data["scoring"]["conversion"] = {str(raw): score for raw, score in self.scoring.conversion.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Definition:
        """A definition from ``as_dict()`` output (e.g. an Instrument's stored JSON), checked again."""
        return _Checker(dict(data), {}, {}).definition()


# -- reading the file ------------------------------------------------------------------------------------

_SYNTAX = (
    ("found character '\\t' that cannot start any token", "une tabulation est interdite : indentez avec des espaces"),
    (
        "mapping values are not allowed here",
        "deux-points inattendu (une valeur qui contient « : » s'écrit entre guillemets)",
    ),
    ("could not find expected ':'", "il manque un deux-points après une clé, ou un guillemet n'est pas fermé"),
    ("found unexpected end of stream", "un guillemet ou un crochet ouvert ici n'est jamais fermé"),
    ("expected <block end>", "l'indentation n'est pas cohérente avec les lignes précédentes"),
    ("expected a single document", "le fichier contient plusieurs documents (« --- ») ; il n'en faut qu'un"),
    ("found undefined alias", "un alias (« * ») renvoie à une ancre qui n'existe pas"),
    ("did not find expected key", "l'indentation n'est pas cohérente avec les lignes précédentes"),
    ("did not find expected node content", "une valeur est attendue à cet endroit"),
    ("did not find expected '-' indicator", "l'indentation de la liste n'est pas cohérente"),
    ("found unknown escape character", "caractère d'échappement inconnu dans un texte entre guillemets"),
)


def _syntax_message(error: yaml.YAMLError) -> tuple[int | None, str]:
    problem = f"{getattr(error, 'context', '') or ''} {getattr(error, 'problem', '') or ''}"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if "end of stream" in problem and context_mark is not None:
        mark = context_mark  # where the unclosed quote or bracket opens
    line = mark.line + 1 if mark is not None else None
    for english, french in _SYNTAX:
        if english in problem:
            return line, f"erreur de syntaxe : {french}."
    return line, "erreur de syntaxe : le fichier n'est pas un YAML ou un JSON valide."


class _TooComplex(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Reader:
    """Turns the YAML node tree into plain Python data, noting the line of every value and key."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.lines: dict[Path, int] = {}
        self.key_lines: dict[Path, int] = {}
        self.errors: list[tuple[int | None, str]] = []
        self.unreadable: set[Path] = set()
        self.count = 0

    def read(self, node: Node, path: Path, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        self.count += 1
        if self.count > _MAX_NODES or depth > _MAX_DEPTH:
            raise _TooComplex(line)
        self.lines[path] = line
        if isinstance(node, MappingNode):
            data: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, ScalarNode):
                    self.errors.append((key_line, "une clé doit être un simple mot, pas une liste ni un bloc."))
                    continue
                key = self.scalar(key_node)
                if key is _UNREADABLE or isinstance(key, float | bool) or key is None:
                    key = key_node.value
                if key in data:
                    self.errors.append((key_line, f"la clé « {key} » apparaît deux fois ; ne la gardez qu'une fois."))
                    continue
                self.key_lines[(*path, key)] = key_line
                data[key] = self.read(value_node, (*path, key), depth + 1)
            return data
        if isinstance(node, SequenceNode):
            return [self.read(child, (*path, index), depth + 1) for index, child in enumerate(node.value)]
        value = self.scalar(node)
        if value is _UNREADABLE:
            self.unreadable.add(path)
            if node.tag.startswith("tag:yaml.org,2002:python/") or node.tag.startswith("!"):
                self.errors.append((line, "les étiquettes YAML comme « !!python » ou « ! » ne sont pas acceptées."))
            else:
                self.errors.append((line, f"la valeur « {node.value} » est illisible."))
            return None
        return value

    def scalar(self, node: Node) -> Any:
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError):
            return _UNREADABLE


_UNREADABLE = object()


def load_definition(text: str) -> Definition:
    """Parses and validates a definition file; raises DefinitionError listing every problem by line."""
    if text.lstrip().startswith(("{", "[")):
        # JSON: a raw tab cannot occur inside a JSON string, and YAML refuses tabs between tokens.
        text = text.replace("\t", " ")
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as error:
            raise DefinitionError([_syntax_message(error)]) from None
        if node is None:
            raise DefinitionError([(1, "le fichier est vide.")])
        reader = _Reader(loader)
        try:
            data = reader.read(node, ())
        except _TooComplex as error:
            raise DefinitionError([(error.line, "le fichier est trop volumineux ou trop imbriqué.")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise DefinitionError(
            [
                (
                    reader.lines[()],
                    "le fichier doit décrire un instrument, avec des clés comme « code », « name », « versions ».",
                )
            ]
        )
    checker = _Checker(data, reader.lines, reader.key_lines)
    checker.errors.extend(reader.errors)
    checker.unreadable = reader.unreadable
    return checker.definition()


# -- the checks ------------------------------------------------------------------------------------------

_TOP = {
    "code": True,
    "version": True,
    "name": True,
    "language": True,
    "licence": True,
    "demo": False,
    "description": False,
    "scale": True,
    "versions": True,
    "reverse_items": False,
    "dimensions": True,
    "scoring": True,
}
_SCALE = {"values": True, "labels": False, "missing": False}
_VERSION = {"key": True, "label": True, "instructions": False, "items": True}
_ITEM = {"key": True, "text": True}
_DIMENSION = {"key": True, "label": True, "description": False, "items": True}
_SCORING = {"method": True, "min_answered": True, "conversion": False}


def _type_name(value: Any) -> str:
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de clés"
    return "une valeur d'un autre type"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int_key(key: Any) -> int | None:
    if _is_int(key):
        return int(key)
    if isinstance(key, str) and _INTEGER.match(key.strip()):
        return int(key.strip())
    return None


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start} à {previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


class _Checker:
    def __init__(self, data: dict[Any, Any], lines: dict[Path, int], key_lines: dict[Path, int]) -> None:
        self.data = data
        self.lines = lines
        self.key_lines = key_lines
        self.errors: list[tuple[int | None, str]] = []
        self.unreadable: set[Path] = set()  # already reported by the reader

    # -- helpers

    def line(self, path: Path) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: Path, message: str) -> None:
        if path not in self.unreadable:
            self.errors.append((self.line(path), message))

    def mapping(self, value: Any, path: Path, what: str, keys: dict[str, bool]) -> dict[Any, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"{what} doit être un bloc de clés (par exemple « key: … »), pas {_type_name(value)}.")
            return None
        for key in value:
            if key not in keys:
                allowed = ", ".join(keys)
                line = self.key_lines.get((*path, key), self.line(path))
                self.errors.append(
                    (line, f"la clé « {key} » n'est pas reconnue dans {what} (clés possibles : {allowed}).")
                )
        for key, required in keys.items():
            if required and key not in value:
                self.error(path, f"la clé obligatoire « {key} » manque dans {what}.")
        return value

    def text(
        self, data: dict[Any, Any], key: str, path: Path, what: str, max_length: int, optional: bool = False
    ) -> str:
        if key not in data:
            return ""
        value = data[key]
        at = (*path, key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.error(at, f"{what} doit être un texte : écrivez « {value} » entre guillemets.")
            return ""
        if value is None:
            if not optional:
                self.error(at, f"{what} est vide.")
            return ""
        if not isinstance(value, str):
            self.error(at, f"{what} doit être un texte, pas {_type_name(value)}.")
            return ""
        value = value.strip()
        if not value and not optional:
            self.error(at, f"{what} est vide.")
        elif len(value) > max_length:
            self.error(at, f"{what} est trop long ({len(value)} caractères, {max_length} au plus).")
        return value

    def key(self, data: dict[Any, Any], path: Path, what: str) -> str:
        value = self.text(data, "key", path, f"la clé de {what}", 40)
        if value and not _KEY.match(value):
            self.error(
                (*path, "key"),
                f"la clé de {what} « {value} » ne doit contenir que des lettres sans accent, des chiffres, "
                "« _ » et « - ».",
            )
        return value

    def sequence(self, data: dict[Any, Any], key: str, path: Path, what: str) -> list[Any]:
        value = data.get(key)
        if key not in data:
            return []
        if not isinstance(value, list):
            self.error(
                (*path, key), f"{what} doit être une liste (des lignes commençant par « - »), pas {_type_name(value)}."
            )
            return []
        if not value:
            self.error((*path, key), f"{what} est vide.")
        return value

    # -- the definition

    def definition(self) -> Definition:
        root = self.mapping(self.data, (), "l'instrument", _TOP) or {}
        code = self.text(root, "code", (), "le code", 60)
        if code and not _CODE.match(code):
            self.error(
                ("code",),
                f"le code « {code} » doit être fait de lettres minuscules sans accent, de chiffres et de tirets, "
                "par exemple « espoir-demo ».",
            )
        version = self.text(root, "version", (), "la version", 30)
        name = self.text(root, "name", (), "le nom", 200)
        language = self.text(root, "language", (), "la langue", 10)
        if language and not _LANGUAGE.match(language):
            self.error(("language",), f"la langue « {language} » doit être un code comme « fr » ou « fr-CA ».")
        licence = self.text(root, "licence", (), "la licence", 20)
        if licence and licence not in LICENCES:
            self.error(
                ("licence",),
                f"la licence « {licence} » n'existe pas : écrivez « free » (libre), « permission » "
                "(autorisation des auteurs nécessaire) ou « licence » (licence nécessaire).",
            )
        demo = root.get("demo", False)
        if not isinstance(demo, bool):
            self.error(("demo",), f"« demo » doit valoir true ou false, pas {_type_name(demo)}.")
            demo = False
        description = self.text(root, "description", (), "la description", 5000, optional=True)
        scale = self.scale(root.get("scale"))
        read_versions = self.versions(root)
        known = {item.key for version_ in read_versions for item in version_.items}
        reverse = self.reverse_items(root, known)
        versions = tuple(
            RespondentVersion(
                key=v.key,
                label=v.label,
                instructions=v.instructions,
                items=tuple(Item(key=i.key, text=i.text, reverse=i.key in reverse) for i in v.items),
            )
            for v in read_versions
        )
        dimensions = self.dimensions(root, known)
        scoring = self.scoring(root.get("scoring"), scale, versions, dimensions)
        if self.errors or scale is None or scoring is None:
            raise DefinitionError(self.errors or [(None, "la définition est incomplète.")])
        return Definition(
            code=code,
            version=version,
            name=name,
            language=language,
            licence=licence,
            demo=demo,
            description=description,
            scale=scale,
            versions=versions,
            dimensions=dimensions,
            scoring=scoring,
        )

    def scale(self, value: Any) -> Scale | None:
        path: Path = ("scale",)
        if "scale" not in self.data:
            return None
        data = self.mapping(value, path, "l'échelle (« scale »)", _SCALE)
        if data is None:
            return None
        values: list[int] = []
        raw_values = self.sequence(data, "values", path, "la liste des valeurs de l'échelle")
        for index, raw in enumerate(raw_values):
            if not _is_int(raw):
                self.error(
                    (*path, "values", index),
                    f"les valeurs de l'échelle doivent être des nombres entiers, pas « {raw} ».",
                )
                continue
            if values and raw <= values[-1]:
                self.error(
                    (*path, "values", index),
                    "les valeurs de l'échelle doivent être rangées dans l'ordre croissant, sans doublon.",
                )
                continue
            values.append(raw)
        if len(raw_values) == 1:
            self.error((*path, "values"), "l'échelle doit avoir au moins deux valeurs.")
        labels: dict[int, str] = {}
        raw_labels = data.get("labels", {})
        if not isinstance(raw_labels, dict):
            self.error((*path, "labels"), "les libellés de l'échelle doivent être un bloc « valeur: libellé ».")
            raw_labels = {}
        for raw_key, label in raw_labels.items():
            at = (*path, "labels", raw_key)
            number = _as_int_key(raw_key)
            if number is None or (values and number not in values):
                self.error(at, f"le libellé « {raw_key} » ne correspond à aucune valeur de l'échelle.")
            elif not isinstance(label, str) or not label.strip():
                self.error(at, f"le libellé de la valeur {number} doit être un texte.")
            else:
                labels[number] = label.strip()
        missing: dict[str, str] = {}
        raw_missing = data.get("missing", {})
        if not isinstance(raw_missing, dict):
            self.error(
                (*path, "missing"),
                "les valeurs manquantes doivent être un bloc « code: libellé », par exemple « NA: Sans objet ».",
            )
            raw_missing = {}
        for raw_code, label in raw_missing.items():
            at = (*path, "missing", raw_code)
            number = _as_int_key(raw_code)
            if number is not None and number in values:
                self.error(
                    at,
                    f"le code manquant « {raw_code} » est aussi une valeur de l'échelle : "
                    "choisissez un code en lettres, comme « NA ».",
                )
            elif not isinstance(raw_code, str) or not _KEY.match(raw_code) or number is not None:
                self.error(
                    at, f"le code manquant « {raw_code} » doit être un mot court en lettres, comme « NA » ou « DK »."
                )
            elif not isinstance(label, str) or not label.strip():
                self.error(at, f"le libellé du code manquant « {raw_code} » doit être un texte.")
            else:
                missing[raw_code] = label.strip()
        if len(values) < 2:
            return None
        return Scale(values=tuple(values), labels=labels, missing=missing)

    def versions(self, root: dict[Any, Any]) -> list[RespondentVersion]:
        versions: list[RespondentVersion] = []
        seen: set[str] = set()
        for index, raw in enumerate(self.sequence(root, "versions", (), "la liste des versions (« versions »)")):
            path: Path = ("versions", index)
            data = self.mapping(raw, path, f"la version n° {index + 1}", _VERSION)
            if data is None:
                continue
            key = self.key(data, path, "la version")
            if key in seen:
                self.error((*path, "key"), f"la version « {key} » est déjà définie plus haut.")
            seen.add(key)
            label = self.text(data, "label", path, f"le libellé de la version « {key} »", 200)
            instructions = self.text(
                data, "instructions", path, f"la consigne de la version « {key} »", 2000, optional=True
            )
            items: list[Item] = []
            item_keys: set[str] = set()
            for position, raw_item in enumerate(
                self.sequence(data, "items", path, f"la liste des items de la version « {key} »")
            ):
                item_path: Path = (*path, "items", position)
                item = self.mapping(raw_item, item_path, f"l'item n° {position + 1} de la version « {key} »", _ITEM)
                if item is None:
                    continue
                item_key = self.key(item, item_path, f"l'item n° {position + 1} de la version « {key} »")
                if item_key in item_keys:
                    self.error(
                        (*item_path, "key"), f"l'item « {item_key} » apparaît deux fois dans la version « {key} »."
                    )
                item_keys.add(item_key)
                text = self.text(item, "text", item_path, f"le texte de l'item « {item_key} »", 1000)
                if item_key:
                    items.append(Item(key=item_key, text=text))
            versions.append(RespondentVersion(key=key, label=label, items=tuple(items), instructions=instructions))
        return versions

    def reverse_items(self, root: dict[Any, Any], known: set[str]) -> set[str]:
        reverse: set[str] = set()
        if "reverse_items" not in root:
            return reverse
        raw = root["reverse_items"]
        if not isinstance(raw, list):
            self.error(("reverse_items",), "« reverse_items » doit être une liste de clés d'items.")
            return reverse
        for index, key in enumerate(raw):
            at: Path = ("reverse_items", index)
            if not isinstance(key, str):
                self.error(at, f"« {key} » n'est pas une clé d'item (écrivez-la entre guillemets si c'est un nombre).")
            elif key not in known:
                self.error(at, f"l'item inversé « {key} » n'existe dans aucune version.")
            elif key in reverse:
                self.error(at, f"l'item inversé « {key} » est cité deux fois.")
            reverse.add(str(key))
        return reverse

    def dimensions(self, root: dict[Any, Any], known: set[str]) -> tuple[Dimension, ...]:
        dimensions: list[Dimension] = []
        seen: set[str] = set()
        for index, raw in enumerate(self.sequence(root, "dimensions", (), "la liste des dimensions (« dimensions »)")):
            path: Path = ("dimensions", index)
            data = self.mapping(raw, path, f"la dimension n° {index + 1}", _DIMENSION)
            if data is None:
                continue
            key = self.key(data, path, "la dimension")
            if key in seen:
                self.error((*path, "key"), f"la dimension « {key} » est déjà définie plus haut.")
            seen.add(key)
            label = self.text(data, "label", path, f"le libellé de la dimension « {key} »", 200)
            description = self.text(
                data, "description", path, f"la description de la dimension « {key} »", 2000, optional=True
            )
            items: list[str] = []
            for position, item in enumerate(
                self.sequence(data, "items", path, f"la liste des items de la dimension « {key} »")
            ):
                at: Path = (*path, "items", position)
                if not isinstance(item, str):
                    self.error(
                        at,
                        f"la dimension « {key} » cite « {item} », qui n'est pas une clé d'item "
                        "(écrivez-la entre guillemets si c'est un nombre).",
                    )
                elif item not in known:
                    self.error(at, f"la dimension « {key} » cite l'item « {item} », qui n'existe pas.")
                elif item in items:
                    self.error(at, f"la dimension « {key} » cite l'item « {item} » deux fois.")
                else:
                    items.append(item)
            dimensions.append(Dimension(key=key, label=label, items=tuple(items), description=description))
        return tuple(dimensions)

    def scoring(
        self,
        value: Any,
        scale: Scale | None,
        versions: tuple[RespondentVersion, ...],
        dimensions: tuple[Dimension, ...],
    ) -> Scoring | None:
        path: Path = ("scoring",)
        if "scoring" not in self.data:
            return None
        data = self.mapping(value, path, "la règle de score (« scoring »)", _SCORING)
        if data is None:
            return None
        method = data.get("method")
        if "method" in data and method not in METHODS:
            self.error(
                (*path, "method"),
                f"la méthode « {method} » n'existe pas : écrivez « mean » (moyenne) ou « sum » (somme).",
            )
        # Item counts of each dimension in each respondent version that has items in it.
        sizes: list[tuple[str, str, int]] = []
        for version in versions:
            present = set(version.item_keys())
            for dimension in dimensions:
                size = sum(1 for key in dimension.items if key in present)
                if size:
                    sizes.append((dimension.key, version.key, size))
        min_answered: int | float = 1
        if "min_answered" in data:
            raw = data["min_answered"]
            at = (*path, "min_answered")
            if _is_int(raw):
                if raw < 1:
                    self.error(
                        at,
                        "« min_answered » doit être au moins 1 (un nombre d'items) "
                        "ou une part entre 0 et 1, comme 0.6.",
                    )
                smallest = min(sizes, key=lambda size: size[2], default=None)
                if smallest is not None and raw > smallest[2]:
                    dimension_key, version_key, size = smallest
                    self.error(
                        at,
                        f"au moins {raw} réponses sont demandées, mais la dimension « {dimension_key} » n'a que "
                        f"{size} item{'s' if size > 1 else ''} dans la version « {version_key} ».",
                    )
                min_answered = raw
            elif isinstance(raw, float) and 0 < raw <= 1:
                min_answered = raw
            else:
                self.error(
                    at,
                    f"« min_answered » vaut « {raw} » : écrivez un nombre entier d'items (par exemple 8) "
                    "ou une part entre 0 et 1 (par exemple 0.6 pour 60 %).",
                )
        conversion: dict[int, float] | None = None
        if "conversion" in data:
            conversion = self.conversion(data["conversion"], method, scale, sizes)
        if method not in METHODS:
            return None
        return Scoring(method=str(method), min_answered=min_answered, conversion=conversion)

    def conversion(
        self, raw: Any, method: Any, scale: Scale | None, sizes: list[tuple[str, str, int]]
    ) -> dict[int, float] | None:
        path: Path = ("scoring", "conversion")
        if not isinstance(raw, dict) or not raw:
            self.error(
                path, "la table de conversion doit être un bloc « score brut: score converti », par exemple « 7: 7.0 »."
            )
            return None
        if method == "mean":
            self.error(path, "une table de conversion ne s'applique qu'à un score en somme (« method: sum »).")
        table: dict[int, float] = {}
        written: dict[int, Any] = {}
        for raw_key, converted in raw.items():
            at = (*path, raw_key)
            number = _as_int_key(raw_key)
            if number is None:
                self.error(at, f"le score brut « {raw_key} » doit être un nombre entier.")
            elif not isinstance(converted, int | float) or isinstance(converted, bool):
                self.error(at, f"le score converti du score brut {number} doit être un nombre, pas « {converted} ».")
            else:
                table[number] = float(converted)
            if number is not None:
                written[number] = raw_key
        if scale is None or not sizes or not written:
            return table or None
        possible: set[int] = set()
        for dimension_key, _version_key, size in sizes:
            low, high = size * scale.low, size * scale.high
            possible.update(range(low, high + 1))
            absent = [score for score in range(low, high + 1) if score not in written]
            if absent:
                self.error(
                    path,
                    f"la table de conversion ne donne pas de score pour les scores bruts {_ranges(absent)} "
                    f"(la dimension « {dimension_key} » va de {low} à {high}).",
                )
                break
        for number in sorted(set(written) - possible):
            self.error(
                (*path, written[number]),
                f"le score brut {number} est impossible avec cette échelle et ces dimensions.",
            )
        return table
