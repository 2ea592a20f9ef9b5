"""The questionnaires of an event, through the Observatoire's campaigns: the « avant » beliefs
questionnaire of a training, sent to the registrants before it; after the attendance is validated,
the feedback questionnaire and the « après » beliefs questionnaire, sent to the people present.

The campaigns are anonymous: the e-mails hold the links, never who answered what."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.observatory.models import Campaign, CampaignLink, Instrument, Purpose
from pairs.observatory.selectors.campaigns import answer_url
from pairs.observatory.selectors.instruments import definition_of
from pairs.observatory.services.campaigns import campaign_create
from pairs.platforms.roles import Role

from ..models import ACTIVE_REGISTRATION, Event, Kind, Registration

__all__ = ["beliefs_before_open", "feedback_open", "feedback_send"]

FEEDBACK_DAYS = 14
BELIEFS_PERSPECTIVE = "professionnels"
FEEDBACK_KIND = "events_feedback"
BELIEFS_BEFORE_KIND = "events_beliefs_before"


def _campaign_request(request: HttpRequest | None) -> HttpRequest | None:
    """The request handed to ``campaign_create``: the Observatoire lets only the coordination launch a
    training questionnaire from its pages; the questionnaires of an event were chosen by the
    coordination with the event, and go out when its trainer validates the attendance (the journal
    then names the trainer as the actor, without the request)."""
    membership = getattr(request, "membership", None)
    return request if membership is not None and membership.role == Role.COORDINATOR else None


def _by(request: HttpRequest | None, event: Event) -> User:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else event.created_by


def _perspective(instrument: Instrument) -> str:
    """The perspective of an event's questionnaire: « professionnels » when the instrument has it, else
    its first version."""
    definition = definition_of(instrument)
    keys = [version.key for version in definition.versions] if definition is not None else []
    if not keys:
        raise ValidationError(
            _("Le questionnaire « %(name)s » ne peut pas être relu : importez-le à nouveau dans l'Observatoire.")
            % {"name": instrument.name}
        )
    return BELIEFS_PERSPECTIVE if BELIEFS_PERSPECTIVE in keys else keys[0]


def _link(campaign: Campaign) -> str:
    token = (
        CampaignLink.objects.filter(campaign=campaign, perspective=campaign.perspectives[0])
        .values_list("token", flat=True)
        .first()
    )
    return answer_url(token) if token else ""


def _create(
    *,
    request: HttpRequest | None,
    event: Event,
    title: str,
    instrument: Instrument,
    perspective: str,
    wave: int,
    previous: Campaign | None,
    closes_on_days: int | None = None,
) -> Campaign:
    today = timezone.localdate()
    closes_on = (
        today + timedelta(days=closes_on_days) if closes_on_days is not None else timezone.localdate(event.starts_at)
    )
    try:
        return campaign_create(
            request=_campaign_request(request),
            platform=event.platform,
            by=_by(request, event),
            purpose=Purpose.TRAINING,
            team=None,
            title=title,
            instrument=instrument,
            perspectives=[perspective],
            wave=wave,
            previous=previous,
            opens_on=today,
            closes_on=closes_on,
        )
    except ValidationError as error:
        raise ValidationError(
            _("Le questionnaire « %(title)s » ne peut pas être ouvert : %(reason)s")
            % {"title": title, "reason": " ".join(error.messages)}
        ) from error


# ---- Before a training


@transaction.atomic
def beliefs_before_open(*, request: HttpRequest | None, event: Event) -> Campaign:
    """Open the « avant » questionnaire of a training (wave 0, until the day it starts) and e-mail its
    anonymous link to the registrants who gave an e-mail address."""
    locked = (
        Event.objects.select_for_update(of=("self",)).select_related("platform", "beliefs_instrument").get(pk=event.pk)
    )
    instrument = locked.beliefs_instrument
    if instrument is None:
        raise ValidationError(_("Choisissez d'abord le questionnaire avant / après de cet événement."))
    if locked.beliefs_before_id is not None:
        raise ValidationError(_("Le questionnaire « avant » de cet événement est déjà ouvert."))
    if locked.is_cancelled:
        raise ValidationError(_("Cet événement est annulé : aucun questionnaire ne part."))
    if timezone.localdate(locked.starts_at) < timezone.localdate():
        raise ValidationError(_("L'événement a déjà eu lieu : le questionnaire « avant » ne peut plus être envoyé."))
    campaign = _create(
        request=request,
        event=locked,
        title=_("%(title)s — Avant") % {"title": locked.title},
        instrument=instrument,
        perspective=_perspective(instrument),
        wave=0,
        previous=None,
    )
    locked.beliefs_before = campaign
    locked.save(update_fields=["beliefs_before"])
    journal.log_update(request=request, obj=locked, fields=["beliefs_before"], platform=locked.platform)
    event.beliefs_before = campaign
    url = _link(campaign)
    registrants = Registration.objects.filter(event=locked, status__in=ACTIVE_REGISTRATION).exclude(email="")
    context = {
        "title": locked.title,
        "when": date_format(timezone.localtime(locked.starts_at), "l j F Y"),
        "closes_on": campaign.closes_on,
        "url": url,
        "platform_name": locked.platform.name,
    }
    for registration in registrants.order_by("pk"):
        email_queue(
            to=registration.email,
            kind=BELIEFS_BEFORE_KIND,
            template="events/emails/beliefs_before.txt",
            context={**context, "name": registration.name},
            platform=locked.platform,
        )
    return campaign


# ---- After the event (called by the validation of the attendance, inside its transaction)


def feedback_open(*, request: HttpRequest | None, event: Event) -> list[str]:
    """Open the event's feedback questionnaire (14 days) and, for a training whose « avant »
    questionnaire went out, the « après » one (wave 1). Sets them on ``event`` (locked by the caller,
    who saves it) and returns the fields set."""
    fields = []
    if event.feedback_instrument is not None and event.feedback_campaign_id is None:
        event.feedback_campaign = _create(
            request=request,
            event=event,
            title=_("Avis — %(title)s") % {"title": event.title},
            instrument=event.feedback_instrument,
            perspective=_perspective(event.feedback_instrument),
            wave=0,
            previous=None,
            closes_on_days=FEEDBACK_DAYS,
        )
        fields.append("feedback_campaign")
    before = event.beliefs_before
    if event.beliefs_instrument is not None and before is not None and event.beliefs_after_id is None:
        event.beliefs_after = _create(
            request=request,
            event=event,
            title=_("%(title)s — Après") % {"title": event.title},
            instrument=event.beliefs_instrument,
            perspective=before.perspectives[0],
            wave=1,
            previous=before,
            closes_on_days=FEEDBACK_DAYS,
        )
        fields.append("beliefs_after")
    return fields


def feedback_send(*, event: Event, registrations: Iterable[Registration]) -> int:
    """E-mail the links of the event's open feedback questionnaires to the people present who gave an
    e-mail address. Returns the number of e-mails queued."""
    links = []
    if event.feedback_campaign is not None:
        links.append({"label": _("Votre avis sur l'événement"), "url": _link(event.feedback_campaign)})
    if event.beliefs_after is not None:
        links.append({"label": _("Le questionnaire « après » de la formation"), "url": _link(event.beliefs_after)})
    links = [link for link in links if link["url"]]
    if not links:
        return 0
    context = {
        "title": "" if event.kind == Kind.PUBLIC_GROUP else event.title,
        "links": links,
        "closes_on": timezone.localdate() + timedelta(days=FEEDBACK_DAYS),
        "platform_name": event.platform.name,
    }
    sent = 0
    for registration in registrations:
        if not registration.email:
            continue
        email_queue(
            to=registration.email,
            kind=FEEDBACK_KIND,
            template="events/emails/feedback.txt",
            context={**context, "name": registration.name},
            platform=event.platform,
        )
        sent += 1
    return sent
