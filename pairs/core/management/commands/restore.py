"""``manage.py restore``: decrypt a backup, restore it, then check every table against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pairs.core import backup


class Command(BaseCommand):
    help = "Restore an encrypted backup into a database, then compare row counts and checksums of every table."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True, help="Backup file written by `manage.py backup`.")
        parser.add_argument("--database", default=None, help="Target database (default: the configured one).")
        parser.add_argument("--clean", action="store_true", help="Replace the content of a non-empty database.")
        parser.add_argument("--yes", action="store_true", help="Confirm the restoration.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup.open_backup(path=options["input"])
            target = options["database"] or backup.configured_database()
            manifest = archive.manifest
            self.stdout.write(
                _("Sauvegarde du %(created_at)s (base %(database)s, version %(version)s, %(tables)d tables).")
                % {
                    "created_at": manifest.get("created_at"),
                    "database": manifest.get("database"),
                    "version": manifest.get("software_version") or "?",
                    "tables": len(manifest["tables"]),
                }
            )
            if not options["yes"]:
                raise backup.BackupRefused(
                    _("Restauration dans la base %(database)s non confirmée : relancez avec --yes.")
                    % {"database": target}
                )
            comparisons = backup.restore_backup(backup=archive, database=options["database"], clean=options["clean"])
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=exc.exit_code) from exc
        self._print_table(comparisons)
        mismatches = [c for c in comparisons if not c.ok]
        if mismatches:
            raise CommandError(
                _("Restauration dans %(database)s : %(count)d table(s) ne correspondent pas à la sauvegarde.")
                % {"database": target, "count": len(mismatches)},
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Restauration dans %(database)s vérifiée : %(tables)d tables identiques à la sauvegarde.")
                % {"database": target, "tables": len(comparisons)}
            )
        )

    def _print_table(self, comparisons: list[backup.Comparison]) -> None:
        table, rows_label, checksum_label = _("table"), _("lignes"), _("somme de contrôle")
        width = max([len(c.table) for c in comparisons] + [len(table)])
        header = f"{table:<{width}}  {rows_label:>9}  {checksum_label:<32}  OK"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for comparison in comparisons:
            found = comparison.actual
            rows = str(found.rows) if found else "-"
            checksum = found.checksum if found else _("table absente")
            if comparison.ok:
                status = "OK"
            elif comparison.expected is None:
                status = _("EN TROP")
            else:
                status = _("ÉCART (attendu %(rows)d lignes, %(checksum)s)") % {
                    "rows": comparison.expected.rows,
                    "checksum": comparison.expected.checksum,
                }
            line = f"{comparison.table:<{width}}  {rows:>9}  {checksum:<32}  {status}"
            self.stdout.write(line if comparison.ok else self.style.ERROR(line))
