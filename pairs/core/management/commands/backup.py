"""``manage.py backup``: an encrypted, consistent dump of this installation (see pairs/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pairs.core import backup


class Command(BaseCommand):
    help = "Encrypted backup of the database (key in PAIRS_BACKUP_KEY)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Backup file (default: var/backups/pairs-YYYYMMDD-HHMMSS.backup)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup.create_backup(output=options["output"])
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Sauvegarde chiffrée écrite : %(path)s (%(size)s, %(tables)d tables, %(rows)d lignes).")
                % {
                    "path": result.path,
                    "size": filesizeformat(result.size),
                    "tables": result.tables,
                    "rows": result.rows,
                }
            )
        )
