"""Encrypted backup and restore, on the real server (embedded locally, PostgreSQL 15 in CI).

The round trip restores into a fresh database created on the same server for the test, and
dropped afterwards even when the test fails.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg import sql

from pairs.core import backup
from pairs.demo.generator import generate
from pairs.platforms.models import Membership, Platform
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    value = Fernet.generate_key().decode()
    monkeypatch.setenv(backup.KEY_VARIABLE, value)
    return value


def _database_exists(name: str) -> bool:
    with backup.login_connection(autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


@pytest.fixture
def scratch() -> Iterator[str]:
    """The name of a database that does not exist yet; dropped at the end whatever happens."""
    name = f"pairs_restore_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        with backup.login_connection(autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _restore(path: Path, **options: Any) -> str:
    out = io.StringIO()
    call_command("restore", input=path, stdout=out, **options)
    return out.getvalue()


def _refusal(command: str, **options: Any) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command(command, stdout=io.StringIO(), **options)
    return caught.value


def test_round_trip_restores_every_table_identically(key: str, scratch: str, tmp_path: Path) -> None:
    generate(seed=1, scale=1)
    path = tmp_path / "pairs.backup"
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)

    assert str(path) in out.getvalue() and "tables" in out.getvalue()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    assert b"PGDMP" not in content  # the dump is not readable without the key
    email = Membership.objects.values_list("user__email", flat=True).first()
    assert email and email.encode() not in content

    source = backup.database_checksums()
    report = _restore(path, database=scratch, yes=True)
    restored = backup.database_checksums(database=scratch)

    # Every table of the source, with the same number of rows and the same checksum.
    assert restored == source
    assert len(source) > 50
    assert source["platforms_membership"].rows == Membership.objects.count() > 0
    assert source["support_note"].rows > 0
    assert "Restauration dans" in report and "vérifiée" in report
    table_lines = [line for line in report.splitlines() if line.startswith(tuple(source))]
    assert len(table_lines) == len(source)
    assert all(line.endswith("OK") for line in table_lines)

    with backup.login_connection(scratch) as conn:
        security = conn.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'platforms_membership'"
        ).fetchone()
        # One changed value is noticed by the checksum, the row count staying the same.
        conn.execute(
            "UPDATE platforms_platform SET name = name || ' ' WHERE id = (SELECT min(id) FROM platforms_platform)"
        )
        conn.commit()
    assert security == (True, True)  # row-level security survives the restore
    changed = backup.compare(source, backup.database_checksums(database=scratch))
    assert [c.table for c in changed if not c.ok] == ["platforms_platform"]


def test_restore_refuses_a_database_with_content_unless_clean(key: str, scratch: str, tmp_path: Path) -> None:
    MembershipFactory()
    path = tmp_path / "pairs.backup"
    call_command("backup", output=path, stdout=io.StringIO())
    _restore(path, database=scratch, yes=True)

    refused = _refusal("restore", input=path, database=scratch, yes=True)
    assert refused.returncode == 2
    assert "n'est pas vide" in str(refused)
    unconfirmed = _refusal("restore", input=path, database=scratch)
    assert unconfirmed.returncode == 2
    assert "--yes" in str(unconfirmed)

    report = _restore(path, database=scratch, yes=True, clean=True)
    assert "vérifiée" in report


def test_wrong_key_is_refused_and_writes_nothing(key: str, scratch: str, tmp_path: Path, monkeypatch: Any) -> None:
    MembershipFactory()
    path = tmp_path / "pairs.backup"
    call_command("backup", output=path, stdout=io.StringIO())

    monkeypatch.setenv(backup.KEY_VARIABLE, Fernet.generate_key().decode())
    refused = _refusal("restore", input=path, database=scratch, yes=True)

    assert refused.returncode == 2
    assert "Impossible de déchiffrer la sauvegarde" in str(refused)
    assert not _database_exists(scratch)


def test_a_tampered_file_is_refused(key: str, scratch: str, tmp_path: Path) -> None:
    MembershipFactory()
    path = tmp_path / "pairs.backup"
    call_command("backup", output=path, stdout=io.StringIO())
    content = bytearray(path.read_bytes())
    middle = len(content) // 2
    content[middle] = ord("A") if content[middle] != ord("A") else ord("B")
    path.write_bytes(bytes(content))

    refused = _refusal("restore", input=path, database=scratch, yes=True)

    assert refused.returncode == 2
    assert "le fichier a été modifié" in str(refused)
    assert not _database_exists(scratch)


def test_key_rotation_reads_old_backups(key: str, scratch: str, tmp_path: Path, monkeypatch: Any) -> None:
    Platform.objects.create(name="Pairs Ain", slug="ain", department_codes=["01"])
    path = tmp_path / "pairs.backup"
    call_command("backup", output=path, stdout=io.StringIO())

    monkeypatch.setenv(backup.KEY_VARIABLE, f"{Fernet.generate_key().decode()},{key}")
    assert "vérifiée" in _restore(path, database=scratch, yes=True)


@pytest.mark.parametrize("value", ["", "pas-une-cle"])
def test_missing_or_invalid_key_is_refused_before_any_work(value: str, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv(backup.KEY_VARIABLE, value)
    path = tmp_path / "pairs.backup"

    refused = _refusal("backup", output=path)

    assert refused.returncode == 2
    assert "PAIRS_BACKUP_KEY" in str(refused)
    assert not path.exists()
    assert _refusal("restore", input=path, yes=True).returncode == 2


def test_command_line_exit_code_and_message_without_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != backup.KEY_VARIABLE}
    env["DJANGO_SETTINGS_MODULE"] = "pairs.settings.test"
    path = tmp_path / "pairs.backup"

    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "backup", "--output", str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "La variable d'environnement PAIRS_BACKUP_KEY est absente" in result.stderr
    assert not path.exists()
