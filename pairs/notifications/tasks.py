"""Background jobs of the notifications app (procrastinate, on PostgreSQL)."""

from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from . import services


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the job is retried."""


@app.task(queue="emails", retry=RetryStrategy(max_attempts=6, exponential_wait=10), name="send_email")
def send_email(email_id: int) -> None:
    with transaction.atomic():
        sent = services.email_send(email_id=email_id)
    if not sent:
        raise EmailNotSent(email_id)


class SMSNotSent(Exception):
    """The SMS provider refused or could not be reached; the job is retried."""


@app.task(queue="sms", retry=RetryStrategy(max_attempts=6, exponential_wait=10), name="send_sms")
def send_sms(sms_id: int) -> None:
    with transaction.atomic():
        sent = services.sms_send(sms_id=sms_id)
    if not sent:
        raise SMSNotSent(sms_id)
