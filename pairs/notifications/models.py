from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail to send. Every e-mail goes through this queue and a background job."""

    personal_fields = ("to", "subject", "body")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte"))
    kind = models.CharField(_("type"), max_length=40)
    status = models.CharField(_("état"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class OutgoingSMS(models.Model):
    """A text message to send (meeting reminders). Every SMS goes through this queue and a
    background job, then through the provider named by the SMS_BACKEND setting."""

    personal_fields = ("to", "body")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")

    platform = models.ForeignKey(
        "platforms.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to = models.CharField(_("numéro"), max_length=20)
    body = models.CharField(_("texte"), max_length=320)
    kind = models.CharField(_("type"), max_length=40)
    status = models.CharField(_("état"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
