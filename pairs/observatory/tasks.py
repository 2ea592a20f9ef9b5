"""Jobs of the Observatoire, run by the worker."""

from datetime import UTC, datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import campaigns


# procrastinate reads the cron in UTC: 07:30 UTC is 08:30 or 09:30 in Paris, still the morning.
@app.periodic(cron="30 7 * * *", periodic_id="observatory_campaign_reminders")
@app.task(queue="reminders", name="observatory_campaign_reminders")
def observatory_campaign_reminders(timestamp: int) -> int:
    """Every morning, remind the partner of the open campaigns ending in three days, once: the
    number of answers so far and the links, never an answer."""
    today = timezone.localdate(datetime.fromtimestamp(timestamp, tz=UTC))
    with unscoped():  # a job has no request scope: it covers every platform
        return campaigns.campaign_reminders_send(today=today)
