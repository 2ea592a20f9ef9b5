"""The daily anonymisation job, run by the worker."""

from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from pairs.platforms.models import Platform
from pairs.platforms.tenancy import unscoped

from .services import anonymise_due


# procrastinate reads the cron in UTC: 02:15 UTC is at night in Paris.
@app.periodic(cron="15 2 * * *", periodic_id="privacy_anonymise")
@app.task(queue="housekeeping", name="privacy_anonymise")
def privacy_anonymise(timestamp: int) -> int:
    """Every night, anonymise (for real) the records past their retention on every active platform,
    and warn the coordinators of the records ending within 30 days. Returns the records anonymised."""
    today = timezone.localdate(datetime.fromtimestamp(timestamp, tz=UTC))
    done = 0
    with unscoped():  # a job has no request scope: it covers every platform
        for platform in Platform.objects.filter(is_active=True).order_by("pk"):
            done += anonymise_due(platform=platform, today=today, dry_run=False).total
    return done
