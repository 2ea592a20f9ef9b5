"""Housekeeping jobs run by the worker."""

from datetime import timedelta

from procrastinate.contrib.django import app

from . import ratelimit


@app.periodic(cron="17 3 * * *", periodic_id="purge_rate_limits")
@app.task(queue="housekeeping", name="purge_rate_limits")
def purge_rate_limits(timestamp: int) -> int:
    """Rate-limit counters older than a day are useless: delete them every night."""
    return ratelimit.purge_older_than(timedelta(days=1))
