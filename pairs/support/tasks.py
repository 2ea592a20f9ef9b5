"""Jobs of direct support, run by the worker."""

from datetime import UTC, datetime

from procrastinate.contrib.django import app

from pairs.platforms.tenancy import unscoped

from .services import meetings


# Every hour: a meeting booked a few hours ahead still gets its reminder.
@app.periodic(cron="0 * * * *", periodic_id="support_meeting_reminders")
@app.task(queue="reminders", name="support_meeting_reminders")
def support_meeting_reminders(timestamp: int) -> int:
    """Remind people, by SMS and e-mail as they consented, of their meetings within 24 hours."""
    now = datetime.fromtimestamp(timestamp, tz=UTC)
    with unscoped():  # a job has no request scope: it covers every platform
        return meetings.meeting_reminders_send(now=now)
