from django.db.models import QuerySet

from .models import OutgoingEmail


def demo_outbox(limit: int = 50) -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.order_by("-created_at", "-id")[:limit]
