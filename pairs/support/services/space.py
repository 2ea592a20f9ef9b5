"""Writes from the person's own space: withdrawing a consent, asking to change peer worker."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.platforms.models import Membership
from pairs.platforms.roles import Role

from ..models import ChangeRequest, Consent, Person
from .persons import consent_withdraw

__all__ = ["MAX_MESSAGE", "change_request_create", "my_consent_withdraw"]

MAX_MESSAGE = 2000


def _lock_open_person(person: Person) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.is_closed:
        raise ValidationError(
            _(
                "Votre accompagnement est clos : votre espace est en lecture seule. "
                "Pour toute demande, contactez l'équipe."
            )
        )
    return locked


def my_consent_withdraw(*, request: HttpRequest | None, consent: Consent, by: User) -> Consent:
    """The person withdraws one of their consents, from now on: the same write as when the team
    records a withdrawal (possible on a closed record too: it is always the person's right)."""
    return consent_withdraw(request=request, consent=consent, by=by)


@transaction.atomic
def change_request_create(*, request: HttpRequest | None, person: Person, message: str = "") -> ChangeRequest:
    """The person asks for another peer worker; no reason is needed. The coordinators are told by
    e-mail, without the message."""
    locked = _lock_open_person(person)
    if locked.peer_id is None:
        raise ValidationError(_("Aucun·e pair aidant·e ne vous est encore attribué·e : l'équipe vous en propose un·e."))
    if locked.change_requests.filter(handled_at__isnull=True).exists():
        raise ValidationError(_("Votre demande est déjà transmise à l'équipe : elle revient vers vous."))
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": [_("Le message est trop long (%(max)s caractères au plus).") % {"max": MAX_MESSAGE}]}
        )
    change = ChangeRequest.objects.create(person=locked, message=message)
    journal.log_create(request=request, obj=change, fields=["message"] if message else [], platform=locked.platform)
    _tell_coordinators(locked)
    return change


def _tell_coordinators(person: Person) -> None:
    coordinators = (
        Membership.objects.filter(platform_id=person.platform_id, role=Role.COORDINATOR)
        .active()
        .select_related("user")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("support:person", kwargs={"person_id": person.pk})
    for membership in coordinators:
        email_queue(
            to=membership.user.email,
            kind="support_change_request",
            template="support/emails/change_request.txt",
            context={"name": membership.user.first_name, "link": link},
            platform=person.platform,
        )
