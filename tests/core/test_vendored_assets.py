"""Vendored third-party assets match their pinned checksums.

Each vendor folder holds a SHA256SUMS file in the format of ``sha256sum``
(paths relative to the folder). Every listed file must exist and match, and
every file in the folder (other than SHA256SUMS and README.md) must be listed.
No database or Django setup is needed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIRS = [
    REPO_ROOT / "pairs" / "core" / "static" / "vendor",
    REPO_ROOT / "tests" / "browser" / "vendor",
]
UNLISTED_NAMES = {"SHA256SUMS", "README.md"}


def _read_sums(folder: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    for number, line in enumerate((folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        assert sep, f"{folder}/SHA256SUMS line {number} is not in sha256sum format: {line!r}"
        name = name.removeprefix("*")  # sha256sum's binary-mode marker
        assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest), (
            f"{folder}/SHA256SUMS line {number} has a malformed digest: {line!r}"
        )
        assert name not in sums, f"{folder}/SHA256SUMS lists {name} twice"
        sums[name] = digest
    return sums


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ids(folder: Path) -> str:
    return folder.relative_to(REPO_ROOT).as_posix()


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=_ids)
def test_sha256sums_lists_at_least_one_file(folder: Path) -> None:
    assert (folder / "SHA256SUMS").is_file()
    assert _read_sums(folder)


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=_ids)
def test_every_listed_file_exists_and_matches(folder: Path) -> None:
    mismatches = []
    for name, expected in _read_sums(folder).items():
        path = folder / name
        assert path.resolve().is_relative_to(folder.resolve()), f"{name} points outside {folder}"
        if not path.is_file():
            mismatches.append(f"{name}: missing")
        elif (actual := _sha256(path)) != expected:
            mismatches.append(f"{name}: expected {expected}, got {actual}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("folder", VENDOR_DIRS, ids=_ids)
def test_every_file_in_folder_is_listed(folder: Path) -> None:
    listed = set(_read_sums(folder))
    present = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() not in UNLISTED_NAMES
    }
    assert present - listed == set(), f"files in {folder} not listed in SHA256SUMS"
