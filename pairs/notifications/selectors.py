from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Value

from .models import OutgoingEmail, OutgoingSMS

EMAIL = "email"
SMS = "sms"

_COLUMNS = ("channel", "pk", "to", "subject", "body", "status", "created_at")


@dataclass(frozen=True)
class OutboxItem:
    """An e-mail or a text message, as the demo outbox lists them."""

    channel: str
    pk: int
    to: str
    subject: str
    body: str
    status: str
    created_at: datetime

    @property
    def is_sms(self) -> bool:
        return self.channel == SMS

    @property
    def status_label(self) -> str:
        return str(OutgoingEmail.Status(self.status).label)


def demo_outbox(limit: int = 50) -> list[OutboxItem]:
    """The latest e-mails and text messages together, newest first, in one query."""
    emails = OutgoingEmail.objects.annotate(channel=Value(EMAIL, output_field=CharField())).values_list(*_COLUMNS)
    texts = OutgoingSMS.objects.annotate(
        channel=Value(SMS, output_field=CharField()), subject=Value("", output_field=CharField())
    ).values_list(*_COLUMNS)
    rows = emails.union(texts, all=True).order_by("-created_at", "-pk")[:limit]
    return [OutboxItem(*row) for row in rows]
