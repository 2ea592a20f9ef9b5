"""Every write about a platform's members."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from pairs.journal import services as journal

from .models import Membership, Platform
from .roles import Role


@transaction.atomic
def platform_create(*, name: str, slug: str, department_codes: list[str], contact_email: str = "") -> Platform:
    """A new territorial platform (tenant), empty until its first coordinator is invited."""
    return Platform.objects.create(name=name, slug=slug, department_codes=department_codes, contact_email=contact_email)


@transaction.atomic
def member_invite(
    *, request: HttpRequest | None, platform: Platform, email: str, first_name: str, last_name: str, role: Role
) -> Membership:
    """Give a role on the platform to a person, creating their account if needed, and invite them."""
    from pairs.accounts.models import User, normalize_email
    from pairs.accounts.services import password_link_url
    from pairs.notifications.services import email_queue

    email = normalize_email(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        journal.log_create(request=request, obj=user, fields=["email", "first_name", "last_name"], platform=platform)
    if Membership.objects.filter(user=user, platform=platform, role=role).exists():
        raise ValidationError(_("Cette personne a déjà ce rôle sur la plateforme."), code="duplicate")
    membership = Membership.objects.create(user=user, platform=platform, role=role)
    journal.log_create(request=request, obj=membership, fields=["user", "role"], platform=platform)
    if role == Role.PERSON and not user.has_usable_password():
        link = settings.SITE_URL + reverse("accounts:magic_link_request")
    elif not user.has_usable_password():
        link = password_link_url(user)
    else:
        link = settings.SITE_URL + reverse("accounts:login")
    email_queue(
        to=user.email,
        kind="invitation",
        template="platforms/emails/invitation.txt",
        context={"user": user, "platform": platform, "role": role.label, "link": link},
        platform=platform,
    )
    return membership


@transaction.atomic
def member_update(*, request: HttpRequest | None, membership: Membership, role: Role, is_active: bool) -> Membership:
    before = {"role": membership.role, "is_active": membership.is_active}
    after = {"role": role.value, "is_active": is_active}
    changed = journal.changed_fields(before, after)
    if not changed:
        return membership
    if (
        role.value != membership.role
        and Membership.objects.filter(
            user_id=membership.user_id, platform_id=membership.platform_id, role=role
        ).exists()
    ):
        raise ValidationError(_("Cette personne a déjà ce rôle sur la plateforme."), code="duplicate")
    if (
        membership.role == Role.COORDINATOR
        and membership.is_active
        and (not is_active or role != Role.COORDINATOR)
        and not Membership.objects.for_platform(membership.platform)
        .filter(role=Role.COORDINATOR, is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("La plateforme doit garder au moins une coordinatrice ou un coordinateur actif."), code="last_coordinator"
        )
    membership.role = role.value
    membership.is_active = is_active
    membership.save(update_fields=["role", "is_active", "updated_at"])
    journal.log_update(request=request, obj=membership, fields=changed, platform=membership.platform)
    return membership
