"""Jobs of the deployments, run by the worker."""

from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import followup


# procrastinate reads the cron in UTC: 07:00 UTC is 08:00 or 09:00 in Paris, still the morning.
@app.periodic(cron="0 7 * * *", periodic_id="deployment_review_reminders")
@app.task(queue="reminders", name="deployment_review_reminders")
def deployment_review_reminders(timestamp: int) -> int:
    """Every morning, remind the partner, the peer workers and the coordination of the joint
    reviews coming within the platform's reminder delay."""
    today = timezone.localdate(datetime.fromtimestamp(timestamp, tz=UTC))
    with unscoped():  # a job has no request scope: it covers every platform
        return followup.review_reminders_send(today=today)
