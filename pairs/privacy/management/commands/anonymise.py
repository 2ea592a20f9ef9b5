"""Anonymise the records past their retention. Dry run unless --wet-run is given."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pairs.platforms.models import Platform
from pairs.platforms.tenancy import unscoped

from ...retention import RULES_BY_KEY
from ...services import anonymise_due


class Command(BaseCommand):
    help = "Anonymise the records past their retention (dry run by default: nothing is changed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", metavar="SLUG", help="Only this platform (by its short name).")
        parser.add_argument("--wet-run", action="store_true", help="Apply the changes (otherwise only count).")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = not options["wet_run"]
        today = timezone.localdate()
        with unscoped():
            platforms = Platform.objects.filter(is_active=True).order_by("slug")
            if options["platform"]:
                platforms = Platform.objects.filter(slug=options["platform"])
                if not platforms.exists():
                    raise CommandError(f"No platform with the short name {options['platform']!r}.")
            for platform in platforms:
                report = anonymise_due(platform=platform, today=today, dry_run=dry_run)
                verb = "would be" if dry_run else "were"
                self.stdout.write(f"{platform.slug}: {report.total} record(s) {verb} anonymised")
                for key, count in report.counts.items():
                    if count:
                        self.stdout.write(f"  {key} ({RULES_BY_KEY[key].label}): {count}")
                self.stdout.write(f"  records ending within 30 days {verb} announced: {report.warned}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed. Add --wet-run to apply.")
