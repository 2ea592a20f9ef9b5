"""Recording an individual impact measure in a person's record: filled in by the person in their
space, or with their peer worker. The answers are scored by the engine when the measure is recorded,
so that the change across people is aggregated in SQL. The journal keeps field names only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.support.models import Person, PersonStatus

from ..engine import Definition, DefinitionError
from ..models import ImpactMeasure, Instrument, MeasureFiller
from .answers import scored
from .instruments import require_usable

MEASURE_FIELDS = ("instrument", "perspective", "answers", "measured_on", "filled_by")


def _definition(instrument: Instrument) -> Definition:
    try:
        return Definition.from_dict(instrument.definition)
    except (DefinitionError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValidationError(
            {"questionnaire": [_("La définition de ce questionnaire ne peut pas être relue : choisissez-en un autre.")]}
        ) from error


def _instrument_errors(instrument: Instrument, person: Person) -> list[str]:
    if instrument.platform_id != person.platform_id:
        return [_("Ce questionnaire n'est pas celui de la plateforme de la personne.")]
    if not instrument.active:
        return [_("Ce questionnaire n'est plus proposé : choisissez-en un autre.")]
    try:
        require_usable(instrument)
    except ValidationError:
        return [
            _(
                "Ce questionnaire demande une autorisation de ses auteurs : la coordination doit la noter "
                "avant qu'il soit utilisé."
            )
        ]
    return []


def measure_date_errors(*, measured_on: date, opened_on: date, today: date) -> list[str]:
    """The date of a measure: not in the future, not before the support began."""
    if measured_on > today:
        return [_("La date de la mesure ne peut pas être dans le futur.")]
    if measured_on < opened_on:
        return [
            _("La date de la mesure ne peut pas précéder le début de l'accompagnement (le %(day)s).")
            % {"day": date_format(opened_on, "j F Y")}
        ]
    return []


@transaction.atomic
def measure_record(
    *,
    request: HttpRequest | None,
    person: Person,
    instrument: Instrument,
    perspective: str,
    answers: Mapping[str, int | str],
    measured_on: date,
    filled_by: str,
    by: User | None,
) -> ImpactMeasure:
    """Record one measure of the person with one respondent version of an instrument. Refused when
    the support is closed, the instrument is not one the platform may use, the date is in the future
    or before the support began, or nothing is answered. A measure sent twice (same questionnaire,
    date, answers and filler) is recorded once: the existing one is returned."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status == PersonStatus.CLOSED:
        raise ValidationError({"__all__": [_("L'accompagnement est clos : on ne peut plus ajouter de mesure.")]})
    if filled_by not in MeasureFiller.values:
        raise ValidationError({"__all__": [_("Indiquez qui a rempli le questionnaire.")]})
    errors: dict[str, list[str]] = {}
    instrument_errors = _instrument_errors(instrument, locked)
    if instrument_errors:
        errors["questionnaire"] = instrument_errors
    date_errors = measure_date_errors(measured_on=measured_on, opened_on=locked.opened_on, today=timezone.localdate())
    if date_errors:
        errors["measured_on"] = date_errors
    if not answers:
        errors["__all__"] = [_("Répondez à au moins une question avant d'enregistrer.")]
    if errors:
        raise ValidationError(errors)
    definition = _definition(instrument)
    if perspective not in {version.key for version in definition.versions}:
        raise ValidationError({"questionnaire": [_("Cette version ne fait pas partie du questionnaire.")]})
    values, scores = scored(definition, perspective, answers)
    kept = dict(answers)
    twice = ImpactMeasure.objects.filter(
        person=locked,
        instrument=instrument,
        perspective=perspective,
        measured_on=measured_on,
        filled_by=filled_by,
        answers=kept,
    ).first()
    if twice is not None:
        return twice
    measure = ImpactMeasure.objects.create(
        platform_id=locked.platform_id,
        person=locked,
        instrument=instrument,
        perspective=perspective,
        answers=kept,
        values=values,
        scores=scores,
        measured_on=measured_on,
        filled_by=filled_by,
        entered_by=by,
    )
    extra: dict[str, Any] = {}
    if request is None:  # outside a request (demo data, scripts): the actor and platform are named
        extra = {"platform": locked.platform, **({"actor": by} if by is not None else {})}
    journal.log_create(request=request, obj=measure, fields=MEASURE_FIELDS, **extra)
    return measure
