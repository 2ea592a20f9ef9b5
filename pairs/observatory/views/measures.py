"""Individual impact measures: a person's repeated measures, filled in with their peer worker or by
the person in their space, their own chart, and the change across people, shown aggregated only
above the anonymity threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.journal import services as journal
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.support import selectors as support_selectors

from .. import policies, selectors
from ..forms.measures import MeasureChoiceForm
from ..forms.questionnaire import QuestionnaireForm
from ..models import MeasureFiller
from ..selectors import measures as reads
from ..services import measures as writes

if TYPE_CHECKING:
    from pairs.support.models import Person


def _measures_context(request: PlatformRequest, person: Person, *, own: bool = False) -> dict[str, Any]:
    groups = reads.measure_groups(person, own=own)
    return {
        "person": person,
        "groups": groups,
        "next": reads.next_measure(request.platform, groups, timezone.localdate()),
    }


@permission(policies.MEASURES)
def person_measures(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = support_selectors.get_person_for(request, person_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    journal.log_view(request=request, obj=person)  # a person's health data: every reading is journaled
    return render(request, "observatory/person_measures.html", _measures_context(request, person))


def _step_data(request: PlatformRequest) -> QueryDict:
    """The GET parameters of the first step, the date defaulting to today."""
    data = request.GET.copy()
    if not data.get("measured_on"):
        data["measured_on"] = timezone.localdate().isoformat()
    return data


def _measure_add(
    request: PlatformRequest,
    *,
    person: Person,
    filled_by: str,
    done_url: str,
    done_message: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The two steps of a new measure on one page: the questionnaire and the date (a GET form, so that
    ``?questionnaire=<instrument id>:<version>`` shows the questions without JavaScript), then the
    questions, sent with the date. Bad input shows the page again with what was typed."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if person.is_closed and request.method == "GET":
        messages.warning(request, _("L'accompagnement est clos : on ne peut plus ajouter de mesure."))
        return redirect(done_url)
    choices = reads.measure_choices(request.platform)
    questionnaire: QuestionnaireForm | None = None
    if request.method == "POST":
        form = MeasureChoiceForm(request.POST, choices=choices)
        choice = form.chosen()
        if choice is not None:
            questionnaire = QuestionnaireForm(
                request.POST, definition=choice.definition, perspective=choice.perspective
            )
        valid = form.is_valid()
        if valid and choice is not None and questionnaire is not None and questionnaire.is_valid():
            try:
                writes.measure_record(
                    request=request,
                    person=person,
                    instrument=choice.instrument,
                    perspective=choice.perspective,
                    answers=questionnaire.answers(),
                    measured_on=form.cleaned_data["measured_on"],
                    filled_by=filled_by,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, done_message)
                return redirect(done_url)
    elif request.GET.get("questionnaire"):
        form = MeasureChoiceForm(_step_data(request), choices=choices)
        form.is_valid()  # the errors of the first step show on the page
        choice = form.chosen()
        if choice is not None:
            questionnaire = QuestionnaireForm(definition=choice.definition, perspective=choice.perspective)
    else:
        form = MeasureChoiceForm(choices=choices)
        choice = None
    version = choice.definition.respondent_version(choice.perspective) if choice is not None else None
    page = {
        **context,
        "person": person,
        "form": form,
        "choice": choice,
        "version": version,
        "questionnaire": questionnaire,
        "has_choices": bool(choices),
        "done_url": done_url,
    }
    return render(request, "observatory/measure_form.html", page)


@permission(policies.MEASURES)
def person_measure_add(request: PlatformRequest, person_id: int) -> HttpResponse:
    person = support_selectors.get_person_for(request, person_id)
    return _measure_add(
        request,
        person=person,
        filled_by=MeasureFiller.WITH_PEER,
        done_url=reverse("observatory:person_measures", kwargs={"person_id": person.pk}),
        done_message=_("Mesure enregistrée."),
        context={
            "title": _("Nouvelle mesure — %(name)s") % {"name": person.pseudonym},
            "back_label": _("← Mesures d'impact de %(name)s") % {"name": person.pseudonym},
            "staff": True,
        },
    )


def _no_record(request: PlatformRequest) -> HttpResponse:
    return render(request, "observatory/my_measures.html", {"person": None})


@permission(policies.MY_MEASURES)
def my_measures(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    person = support_selectors.own_person(request)
    if person is None:
        return _no_record(request)
    journal.log_view(request=request, obj=person)
    context = _measures_context(request, person, own=True)
    context["threshold"] = selectors.threshold_of(request.platform)
    return render(request, "observatory/my_measures.html", context)


@permission(policies.MY_MEASURES)
def my_measure_add(request: PlatformRequest) -> HttpResponse:
    person = support_selectors.own_person(request)
    if person is None:
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return _no_record(request)
    return _measure_add(
        request,
        person=person,
        filled_by=MeasureFiller.PERSON,
        done_url=reverse("observatory:my_measures"),
        done_message=_("Merci, votre mesure est enregistrée."),
        context={
            "title": _("Remplir un questionnaire"),
            "back_label": _("← Mes mesures"),
            "staff": False,
        },
    )


@permission(policies.IMPACT)
def impact_overview(request: PlatformRequest) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "observatory/impact.html", {"overview": reads.impact_overview(request.platform)})
