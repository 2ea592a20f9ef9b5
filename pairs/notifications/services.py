"""E-mail always goes through the job queue."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail

if TYPE_CHECKING:
    from pairs.platforms.models import Platform


@transaction.atomic
def email_queue(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    platform: Platform | None = None,
    language: str | None = None,
) -> OutgoingEmail:
    """Render an e-mail now (subject on the first line of the template) and send it later."""
    with translation.override(language or settings.LANGUAGE_CODE):
        rendered = render_to_string(template, {"site_url": settings.SITE_URL, **context}).strip()
    subject, _sep, body = rendered.partition("\n")
    email = OutgoingEmail.objects.create(
        platform=platform, to=to, kind=kind, subject=subject.strip()[:200], body=body.strip() + "\n"
    )
    transaction.on_commit(partial(_defer_send, email.pk))
    return email


def _defer_send(email_id: int) -> None:
    from .tasks import send_email

    send_email.defer(email_id=email_id)


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail (called by the job). Returns False on failure: the job retries."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
    if email.status == OutgoingEmail.Status.SENT:
        return True
    email.attempts += 1
    try:
        EmailMessage(subject=email.subject, body=email.body, to=[email.to]).send(fail_silently=False)
    except Exception as exc:
        email.last_error = type(exc).__name__
        email.status = OutgoingEmail.Status.FAILED
        email.save(update_fields=["attempts", "last_error", "status"])
        return False
    email.status = OutgoingEmail.Status.SENT
    email.sent_at = timezone.now()
    fields = ["attempts", "status", "sent_at"]
    if not settings.KEEP_SENT_EMAIL_BODIES:
        email.body = ""
        fields.append("body")
    email.save(update_fields=fields)
    return True
