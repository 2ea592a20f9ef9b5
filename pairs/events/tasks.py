"""Jobs of the events, run by the worker: places offered and not accepted in time, reminders."""

from datetime import UTC, datetime

from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import registrations


# Every quarter of an hour: an offer not accepted in time goes to the next person waiting.
@app.periodic(cron="*/15 * * * *", periodic_id="events_offers_expire")
@app.task(queue="reminders", name="events_offers_expire")
def events_offers_expire(timestamp: int) -> int:
    """Expire the places offered past their deadline and offer them to the next people waiting."""
    now = datetime.fromtimestamp(timestamp, tz=UTC)
    with unscoped():  # a job has no request scope: it covers every platform
        return registrations.offers_expire(now=now)


# Every hour: registrants are reminded 48 hours ahead, once.
@app.periodic(cron="5 * * * *", periodic_id="events_reminders")
@app.task(queue="reminders", name="events_reminders")
def events_reminders(timestamp: int) -> int:
    """Remind confirmed registrants of the events starting within 48 hours."""
    now = datetime.fromtimestamp(timestamp, tz=UTC)
    with unscoped():
        return registrations.reminders_send(now=now)
