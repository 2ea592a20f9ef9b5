"""Jobs of the peer worker pool, run by the worker."""

from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import career


# procrastinate reads the cron in UTC: 07:30 UTC is 08:30 or 09:30 in Paris, still the morning.
@app.periodic(cron="30 7 * * *", periodic_id="career_review_reminders")
@app.task(queue="reminders", name="career_review_reminders")
def career_review_reminders(timestamp: int) -> int:
    """Every morning, remind workers and coordinators of the career reviews coming within 30 days."""
    today = timezone.localdate(datetime.fromtimestamp(timestamp, tz=UTC))
    with unscoped():  # a job has no request scope: it covers every platform
        return career.career_review_reminders_send(today=today)
