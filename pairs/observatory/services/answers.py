"""Recording answers: an anonymous answer to a campaign (through its link, or typed in from a paper
questionnaire) and its scoring by the engine. Nothing about the respondent is kept: no account, no
IP address, no time of day; an anonymous answer is not journaled (the journal keeps the actor's IP).
A paper questionnaire typed in by staff is journaled as an action of that staff member, and marked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal

from ..engine import Definition, item_values, score_answers
from ..models import Campaign, Response

RESPONSE_FIELDS = ("perspective", "answers", "typed_in")


def definition_of(campaign: Campaign) -> Definition:
    return Definition.from_dict(campaign.instrument.definition)


TYPE_IN_GRACE_DAYS = 14


def is_open(campaign: Campaign, today: date | None = None) -> bool:
    """Answers are taken from the opening date to the closing date included, unless closed early."""
    day = today or timezone.localdate()
    return campaign.closed_at is None and campaign.opens_on <= day <= campaign.closes_on


def accepts(campaign: Campaign, *, typed_in: bool, today: date | None = None) -> bool:
    """Whether an answer is taken now. Paper questionnaires collected before the end may still be
    typed in during ``TYPE_IN_GRACE_DAYS`` days after the closing date (not after an early close)."""
    day = today or timezone.localdate()
    if not typed_in or campaign.closed_at is not None:
        return is_open(campaign, day)
    return campaign.opens_on <= day <= campaign.closes_on + timedelta(days=TYPE_IN_GRACE_DAYS)


def scored(
    definition: Definition, perspective: str, answers: Mapping[str, int | str]
) -> tuple[dict[str, int | None], dict[str, float | None]]:
    """The scored value of each item and the score of each dimension (the engine's rule, exactly)."""
    try:
        values = item_values(definition, perspective, answers)
        scores = score_answers(definition, perspective, answers)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return values, scores


def response_record(
    *,
    request: HttpRequest | None,
    campaign: Campaign,
    perspective: str,
    answers: Mapping[str, int | str],
    submission_key: str,
    typed_in: bool = False,
) -> Response | None:
    """Record one answer; None when this submission key was already counted (the same page sent
    twice). Refused when the campaign is not open or does not include the perspective."""
    if perspective not in campaign.perspectives:
        raise ValidationError(_("Ce point de vue ne fait pas partie de la campagne."))
    if not accepts(campaign, typed_in=typed_in):
        raise ValidationError(_("Cette campagne ne reçoit plus de réponses."))
    values, scores = scored(definition_of(campaign), perspective, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                platform_id=campaign.platform_id,
                campaign=campaign,
                perspective=perspective,
                answers=dict(answers),
                values=values,
                scores=scores,
                typed_in=typed_in,
                submitted_on=timezone.localdate(),
                submission_key=submission_key,
            )
    except IntegrityError:
        if Response.objects.filter(campaign=campaign, submission_key=submission_key).exists():
            return None
        raise
    if typed_in:
        journal.log_create(request=request, obj=response, fields=RESPONSE_FIELDS)
    return response
