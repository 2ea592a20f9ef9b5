from typing import Any

from django.core.management.base import BaseCommand

from pairs.demo import generator
from pairs.platforms.models import Platform


class Command(BaseCommand):
    help = "Generate the fake demo data (dry run unless --wet-run). Deterministic for a given --seed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=int, default=1, help="Multiply generated volumes.")
        parser.add_argument("--wet-run", action="store_true", help="Write to the database.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if platforms already exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Platform.objects.exists():
            path = generator.write_accounts(generator.demo_accounts_from_db())
            self.stdout.write(f"Demo data already present; accounts written to {path}.")
            return
        if not options["wet_run"]:
            self.stdout.write(
                f"Dry run: would generate demo data with seed {options['seed']} and scale {options['scale']}. "
                "Use --wet-run."
            )
            return
        ctx = generator.generate(seed=options["seed"], scale=options["scale"])
        path = generator.write_accounts(ctx.accounts)
        self.stdout.write(self.style.SUCCESS(f"Demo data generated; {len(ctx.accounts)} demo accounts in {path}."))
