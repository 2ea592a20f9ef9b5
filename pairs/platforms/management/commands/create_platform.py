from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.platforms.services import member_invite, platform_create


class Command(BaseCommand):
    help = (
        "Create a territorial platform and invite its first coordinator by e-mail "
        "(dry run unless --wet-run). The worker must run to send the invitation."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True, help='Public name, e.g. "Pairs Drôme".')
        parser.add_argument("--slug", required=True, help="Short identifier, e.g. drome.")
        parser.add_argument("--departments", required=True, help="Département codes, comma separated, e.g. 26,07.")
        parser.add_argument("--contact-email", default="")
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--coordinator-first-name", required=True)
        parser.add_argument("--coordinator-last-name", default="")
        parser.add_argument("--wet-run", action="store_true", help="Write to the database.")

    def handle(self, *args: Any, **options: Any) -> None:
        departments = [code.strip() for code in options["departments"].split(",") if code.strip()]
        if Platform.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A platform with the slug {options['slug']!r} already exists.")
        if not options["wet_run"]:
            self.stdout.write(
                f"Dry run: would create {options['name']!r} ({', '.join(departments)}) and invite "
                f"{options['coordinator_email']} as coordinator. Use --wet-run."
            )
            return
        platform = platform_create(
            name=options["name"],
            slug=options["slug"],
            department_codes=departments,
            contact_email=options["contact_email"],
        )
        member_invite(
            request=None,
            platform=platform,
            email=options["coordinator_email"],
            first_name=options["coordinator_first_name"],
            last_name=options["coordinator_last_name"],
            role=Role.COORDINATOR,
        )
        self.stdout.write(self.style.SUCCESS(f"Platform {platform.name} created; invitation queued."))
