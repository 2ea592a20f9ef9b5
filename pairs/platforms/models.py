from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role

if TYPE_CHECKING:
    from pairs.accounts.models import User


class Platform(models.Model):
    """A territorial platform (tenant). Every operational record belongs to one."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    department_codes = ArrayField(models.CharField(max_length=3), verbose_name=_("départements couverts"), default=list)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("plateforme")

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_platform(self, platform: Platform) -> MembershipQuerySet:
        return self.filter(platform=platform)

    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, platform__is_active=True, user__is_active=True)

    def of_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user)


class Membership(models.Model):
    """A role held by a user on one platform. A user may hold several."""

    # Fields that identify a person; the journal records their names when they change.
    personal_fields = ("user", "role", "is_active")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("compte")
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("plateforme")
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "platform", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["platform", "role", "is_active"])]
        verbose_name = _("rôle sur une plateforme")

    def __str__(self) -> str:
        return f"{self.platform} · {self.get_role_display()}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
