"""Jobs of the crisis plans, run by the worker."""

from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import editor


# procrastinate reads the cron in UTC: 07:45 UTC is 08:45 or 09:45 in Paris, still the morning.
@app.periodic(cron="45 7 * * *", periodic_id="plan_review_reminders")
@app.task(queue="reminders", name="plan_review_reminders")
def plan_review_reminders(timestamp: int) -> int:
    """Every morning, propose the review of the plans whose review is due (after the delay following
    a finalisation, or after a crisis)."""
    today = timezone.localdate(datetime.fromtimestamp(timestamp, tz=UTC))
    with unscoped():  # a job has no request scope: it covers every platform
        return editor.plan_review_reminders_send(today=today)
