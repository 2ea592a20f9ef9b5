"""Text messages: queued, sent by a job through the configured provider, retried on failure, shown
in the demo outbox next to the e-mails."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pairs.notifications.models import OutgoingEmail, OutgoingSMS
from pairs.notifications.services import sms_queue
from pairs.notifications.sms import OutboxBackend, SMSBackend, get_backend, normalise_phone
from pairs.notifications.tasks import SMSNotSent, send_sms


class RecordingBackend(SMSBackend):
    """A provider that keeps what it was asked to send."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, to: str, body: str) -> None:
        self.sent.append((to, body))


class RefusingBackend(SMSBackend):
    """A provider that cannot be reached."""

    def send(self, to: str, body: str) -> None:
        raise ConnectionRefusedError("refused")


TEMPLATE = "support/sms/meeting_reminder.txt"
CONTEXT = {"worker": "Julie", "tomorrow": True, "hour": "14 h 30", "where": "au téléphone"}


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("12", ""),
        ("", ""),
        ("06 12 34", ""),
        ("appelez-moi", ""),
    ],
)
def test_numbers_are_written_in_international_form(typed: str, number: str) -> None:
    assert normalise_phone(typed) == number


def test_the_default_provider_is_the_outbox(settings: Any) -> None:
    assert settings.SMS_BACKEND == "pairs.notifications.sms.OutboxBackend"
    assert isinstance(get_backend(), OutboxBackend)


def test_an_sms_is_queued_as_a_job_only_when_the_transaction_commits(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from procrastinate.contrib.django.models import ProcrastinateJob

    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(to="06 39 98 00 01", kind="test", template=TEMPLATE, context=CONTEXT)
    job = ProcrastinateJob.objects.get(task_name="send_sms", args={"sms_id": message.pk})
    assert job.queue_name == "sms" and job.status == "todo"
    assert message.to == "+33639980001" and message.status == OutgoingSMS.Status.QUEUED
    assert message.body == "Rappel : rencontre avec Julie demain à 14 h 30, au téléphone."


def test_a_number_that_cannot_receive_an_sms_is_refused(db: Any) -> None:
    with pytest.raises(ValidationError) as error:
        sms_queue(to="04", kind="test", template=TEMPLATE, context=CONTEXT)
    assert error.value.message_dict == {"to": ["Ce numéro ne peut pas recevoir de SMS."]}
    assert not OutgoingSMS.objects.exists()


def test_the_job_sends_through_the_configured_provider(db: Any, settings: Any) -> None:
    settings.SMS_BACKEND = "tests.notifications.test_sms.RecordingBackend"
    RecordingBackend.sent.clear()
    message = OutgoingSMS.objects.create(to="+33639980001", body="Bonjour", kind="test")
    send_sms.func(sms_id=message.pk)
    send_sms.func(sms_id=message.pk)  # a job run twice sends once
    message.refresh_from_db()
    assert RecordingBackend.sent == [("+33639980001", "Bonjour")]
    assert message.status == OutgoingSMS.Status.SENT and message.attempts == 1 and message.sent_at is not None
    assert message.body == "Bonjour"  # kept in demo mode


def test_a_failed_send_is_recorded_and_retried(db: Any, settings: Any) -> None:
    settings.SMS_BACKEND = "tests.notifications.test_sms.RefusingBackend"
    message = OutgoingSMS.objects.create(to="+33639980001", body="Bonjour", kind="test")
    with pytest.raises(SMSNotSent):
        send_sms.func(sms_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutgoingSMS.Status.FAILED and message.attempts == 1
    assert message.last_error == "ConnectionRefusedError"
    assert send_sms.retry_strategy is not None and send_sms.retry_strategy.max_attempts == 6


def test_sent_texts_are_cleared_outside_demo_mode(db: Any, settings: Any) -> None:
    settings.KEEP_SENT_EMAIL_BODIES = False
    message = OutgoingSMS.objects.create(to="+33639980001", body="Rappel", kind="test")
    send_sms.func(sms_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutgoingSMS.Status.SENT and message.body == ""


def test_the_demo_outbox_shows_texts_and_emails_newest_first(db: Any) -> None:
    OutgoingEmail.objects.create(to="d@test.example", subject="Votre lien", body="http://127.0.0.1:8000/x", kind="t")
    OutgoingSMS.objects.create(to="+33639980001", body="Rappel : rencontre avec Julie demain à 9 h.", kind="t")
    page = Client().get("/demo/boite-d-envoi/").content.decode()
    assert "Votre lien" in page and 'href="http://127.0.0.1:8000/x"' in page
    assert "SMS — +33639980001" in page and "Rappel : rencontre avec Julie demain à 9 h." in page
    assert page.index("+33639980001") < page.index("Votre lien")
    assert "en attente" in page


@pytest.mark.parametrize("rows", [1, 40])
def test_the_demo_outbox_takes_one_query(rows: int, db: Any, django_assert_num_queries: Any) -> None:
    OutgoingSMS.objects.bulk_create([OutgoingSMS(to="+33639980001", body="B", kind="t") for _ in range(rows)])
    OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(to=f"e{i}@test.example", subject="S", body="B", kind="t") for i in range(rows)]
    )
    with django_assert_num_queries(1):
        response = Client().get("/demo/boite-d-envoi/")
    assert response.status_code == 200
