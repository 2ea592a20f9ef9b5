"""Fail if a French source string has no English translation.

Extracts the strings afresh (makemessages) into the catalogue, checks that every entry is
translated and not fuzzy, then restores the committed catalogue so the tree stays clean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pairs.i18n_catalogue import PO_FILE, untranslated  # noqa: E402


def main() -> int:
    if shutil.which("xgettext") is None:
        print("gettext is not installed (apt-get install gettext): cannot extract strings.")
        return 1
    backup = Path(tempfile.mkdtemp()) / "django.po"
    shutil.copy2(PO_FILE, backup)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "pairs.settings.test")}
    try:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "en",
                "--no-location",
                "--no-obsolete",
                "--ignore",
                "var/*",
                "--ignore",
                "tests/*",
                "--ignore",
                "scripts/*",
                "--ignore",
                "docs/*",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        missing = untranslated(PO_FILE)
    finally:
        shutil.copy2(backup, PO_FILE)
    if missing:
        print(f"{len(missing)} French strings have no English translation in {PO_FILE.relative_to(ROOT)}:")
        for msgid in missing:
            print(f"  - {msgid!r}")
        print("Run `make messages`, translate them, then commit the catalogue.")
        return 1
    print("English catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
