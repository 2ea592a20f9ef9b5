from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pairs.notifications.models import OutgoingEmail
from pairs.notifications.services import email_queue
from pairs.notifications.tasks import EmailNotSent, send_email


def test_an_email_is_queued_as_a_job_only_when_the_transaction_commits(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from procrastinate.contrib.django.models import ProcrastinateJob

    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(
            to="a@test.example",
            kind="test",
            template="accounts/emails/password_reset.txt",
            context={"user": {"first_name": "Alex"}, "link": "https://x.example/l?a=1&b=2"},
        )
    job = ProcrastinateJob.objects.get(task_name="send_email", args={"email_id": email.pk})
    assert job.queue_name == "emails" and job.status == "todo"
    assert email.subject == "Choisir votre mot de passe Pairs Ressources"
    assert "https://x.example/l?a=1&b=2" in email.body  # links are not HTML-escaped in text e-mails


def test_a_failed_send_is_recorded_and_retried(db: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    email = OutgoingEmail.objects.create(to="b@test.example", subject="S", body="B", kind="test")
    with pytest.raises(EmailNotSent):
        send_email.func(email_id=email.pk)
    email.refresh_from_db()
    assert (
        email.status == OutgoingEmail.Status.FAILED
        and email.attempts == 1
        and email.last_error == "ConnectionRefusedError"
    )
    assert send_email.retry_strategy is not None and send_email.retry_strategy.max_attempts == 6


def test_sent_bodies_are_cleared_outside_demo_mode(db: Any, settings: Any, mailoutbox: Any) -> None:
    settings.KEEP_SENT_EMAIL_BODIES = False
    email = OutgoingEmail.objects.create(to="c@test.example", subject="S", body="lien secret", kind="test")
    send_email.func(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.body == ""
    assert mailoutbox[0].body == "lien secret"


def test_demo_outbox_lists_emails_with_clickable_links(db: Any) -> None:
    OutgoingEmail.objects.create(to="d@test.example", subject="Votre lien", body="http://127.0.0.1:8000/x", kind="t")
    body = Client().get("/demo/boite-d-envoi/").content.decode()
    assert "Votre lien" in body and 'href="http://127.0.0.1:8000/x"' in body


@pytest.mark.parametrize("rows", [1, 50])
def test_demo_outbox_query_count_is_constant(rows: int, db: Any, django_assert_num_queries: Any) -> None:
    OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(to=f"e{i}@test.example", subject="S", body="B", kind="t") for i in range(rows)]
    )
    with django_assert_num_queries(1):
        response = Client().get("/demo/boite-d-envoi/")
    assert response.status_code == 200
