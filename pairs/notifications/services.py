"""E-mail and text messages (SMS) always go through the job queue."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import sms
from .models import OutgoingEmail, OutgoingSMS

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


def _deliver(message: OutgoingEmail | OutgoingSMS, send: Callable[[], object]) -> bool:
    """Send one queued message with ``send`` and record the outcome. Returns False on failure (the job
    retries). Once sent, the text is cleared unless sent bodies are kept (demo)."""
    if message.status == message.Status.SENT:
        return True
    message.attempts += 1
    try:
        send()
    except Exception as exc:
        message.last_error = type(exc).__name__
        message.status = message.Status.FAILED
        message.save(update_fields=["attempts", "last_error", "status"])
        return False
    message.status = message.Status.SENT
    message.sent_at = timezone.now()
    fields = ["attempts", "status", "sent_at"]
    if not settings.KEEP_SENT_EMAIL_BODIES:
        message.body = ""
        fields.append("body")
    message.save(update_fields=fields)
    return True


def email_send(*, email_id: int) -> bool:
    """Send one queued e-mail (called by the job). Returns False on failure: the job retries."""
    email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
    message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
    return _deliver(email, lambda: message.send(fail_silently=False))


# ---- Text messages


SMS_MAX_LENGTH = 320  # two SMS segments at most


@transaction.atomic
def sms_queue(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    platform: Platform | None = None,
    language: str | None = None,
) -> OutgoingSMS:
    """Render a text message now (the whole template, on one line) and send it later. ``to`` is a
    phone number as typed; a number that cannot receive a text message is refused."""
    number = sms.normalise_phone(to)
    if not number:
        raise ValidationError({"to": [translation.gettext("Ce numéro ne peut pas recevoir de SMS.")]})
    with translation.override(language or settings.LANGUAGE_CODE):
        rendered = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    body = " ".join(rendered.split())[:SMS_MAX_LENGTH]
    message = OutgoingSMS.objects.create(platform=platform, to=number, kind=kind, body=body)
    transaction.on_commit(partial(_defer_send_sms, message.pk))
    return message


def _defer_send_sms(sms_id: int) -> None:
    from .tasks import send_sms

    send_sms.defer(sms_id=sms_id)


def sms_send(*, sms_id: int) -> bool:
    """Send one queued text message through the provider (called by the job). Returns False on
    failure: the job retries."""
    message = OutgoingSMS.objects.select_for_update().get(pk=sms_id)
    return _deliver(message, lambda: sms.get_backend().send(message.to, message.body))
    message.attempts += 1
    try:
        sms.get_backend().send(message.to, message.body)
    except Exception as exc:
        message.last_error = type(exc).__name__
        message.status = OutgoingSMS.Status.FAILED
        message.save(update_fields=["attempts", "last_error", "status"])
        return False
    message.status = OutgoingSMS.Status.SENT
    message.sent_at = timezone.now()
    fields = ["attempts", "status", "sent_at"]
    if not settings.KEEP_SENT_EMAIL_BODIES:
        message.body = ""
        fields.append("body")
    message.save(update_fields=fields)
    return True
