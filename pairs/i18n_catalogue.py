"""A small reader of the English gettext catalogue, to check it is complete."""

from __future__ import annotations

import ast
from pathlib import Path

PO_FILE = Path(__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(path: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {"flags": "", "msgstr": []}
    key = ""

    def flush() -> None:
        nonlocal current
        if "msgid" in current:
            entries.append(current)
        current = {"flags": "", "msgstr": []}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = ""
            continue
        if line.startswith("#,"):
            current["flags"] = line
            continue
        if line.startswith("#"):
            continue
        for prefix in ("msgid_plural", "msgid", "msgctxt", "msgstr"):
            if line.startswith(prefix):
                rest = line[len(prefix) :].strip()
                if rest.startswith("["):
                    rest = rest.split("]", 1)[1].strip()
                    key = "msgstr"
                    current["msgstr"].append("")  # type: ignore[union-attr,attr-defined]
                elif prefix == "msgstr":
                    key = "msgstr"
                    current["msgstr"].append("")  # type: ignore[union-attr,attr-defined]
                else:
                    key = prefix
                    current[key] = ""
                line = rest
                break
        text = ast.literal_eval(line) if line.startswith('"') else ""
        if key == "msgstr":
            current["msgstr"][-1] += text  # type: ignore[index]
        elif key:
            current[key] = str(current.get(key, "")) + text
    flush()
    return entries


def untranslated(path: Path = PO_FILE) -> list[str]:
    """msgids that are untranslated or fuzzy (the header entry excepted)."""
    missing = []
    for entry in _entries(path):
        msgid = str(entry.get("msgid", ""))
        if not msgid:
            continue
        strings = entry["msgstr"]
        if "fuzzy" in str(entry["flags"]) or not strings or any(not s for s in strings):  # type: ignore[attr-defined]
            missing.append(msgid)
    return missing
