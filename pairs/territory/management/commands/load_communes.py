from typing import Any

from django.core.management.base import BaseCommand

from pairs.territory.services import DATA_FILE, communes_load, read_communes


class Command(BaseCommand):
    help = "Load the shipped communes of the Rhône and the Isère (dry run unless --wet-run)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--wet-run", action="store_true", help="Write to the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["wet_run"]:
            count = len(read_communes())
            self.stdout.write(f"Dry run: {count} communes would be loaded from {DATA_FILE}. Use --wet-run.")
            return
        count = communes_load()
        self.stdout.write(self.style.SUCCESS(f"{count} communes loaded."))
