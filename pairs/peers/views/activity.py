"""The activity log (a peer worker's own week, on a phone), the coordination's review and
corrections, and the workload alerts."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..forms.activity import DayForm, EntryForm, MonthForm, PrefillForm, WeekForm
from ..selectors import activity as selectors
from ..selectors import objects
from ..selectors.workload import week_start, weekly_indicators_range
from ..services import activity as services

INDICATOR_WEEKS = 9


def _week_url(day: date) -> str:
    return f"{reverse('peers:my_week')}?semaine={day}"


@permission(policies.ACTIVITY_OWN)
@require_GET
def my_week(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    today = timezone.localdate()
    start = WeekForm(request.GET).start(today)
    week = selectors.week_for(profile, start, today)
    return render(request, "peers/activity/my_week.html", {"week": week, "profile": profile})


@permission(policies.ACTIVITY_OWN)
@require_http_methods(["GET", "POST"])
def my_entry_add(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    today = timezone.localdate()
    day = DayForm(request.GET).day(today)
    form = EntryForm(request.POST or None, platform=request.platform, profile=profile, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.activity_log(request=request, profile=profile, **form.entry_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'activité est enregistrée."))
            return redirect(_week_url(entry.day))
    context = {"form": form, "workplaces": selectors.recent_workplaces(profile, today), "entry": None}
    return render(request, "peers/activity/entry_form.html", context)


@permission(policies.ACTIVITY_OWN)
@require_http_methods(["GET", "POST"])
def my_entry_edit(request: PlatformRequest, entry_id: int) -> HttpResponse:
    entry = objects.get_entry_for(request, entry_id, own=True)
    if request.method == "POST" and "supprimer" in request.POST:
        services.activity_delete(request=request, entry=entry, correction=False)
        messages.success(request, _("L'activité est supprimée."))
        return redirect(_week_url(entry.day))
    form = EntryForm(request.POST or None, platform=request.platform, profile=entry.profile, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(request=request, entry=entry, correction=False, **form.entry_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("L'activité est modifiée."))
            return redirect(_week_url(entry.day))
    workplaces = selectors.recent_workplaces(entry.profile, timezone.localdate())
    return render(request, "peers/activity/entry_form.html", {"form": form, "workplaces": workplaces, "entry": entry})


@permission(policies.ACTIVITY_OWN)
@require_http_methods(["GET", "POST"])
def my_week_prefill(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    today = timezone.localdate()
    plan = selectors.prefill_plan(profile, WeekForm(request.GET).start(today), today)
    form = PrefillForm(request.POST or None, proposals=plan.proposals)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.activity_prefill_apply(request=request, profile=profile, entries=form.chosen())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = ngettext("%(count)s activité est enregistrée.", "%(count)s activités sont enregistrées.", count)
            messages.success(request, text % {"count": count})
            return redirect(_week_url(plan.start))
    return render(request, "peers/activity/prefill.html", {"plan": plan, "form": form})


@permission(policies.MY_INDICATORS)
@require_GET
def my_indicators(request: PlatformRequest) -> HttpResponse:
    profile = objects.own_profile(request)
    current = week_start(timezone.localdate())
    first = current - timedelta(weeks=INDICATOR_WEEKS - 1)
    weeks = weekly_indicators_range(request.platform, profile.pk, first, INDICATOR_WEEKS)
    this_week = weeks[-1] if weeks and weeks[-1].week_start == current else None
    context = {"weeks": [selectors.IndicatorRow(week) for week in reversed(weeks)], "profile": profile}
    context["this_week"] = selectors.IndicatorRow(this_week) if this_week else None
    return render(request, "peers/activity/my_indicators.html", context)


@permission(policies.ACTIVITY_REVIEW)
def peer_activity(request: PlatformRequest, profile_id: int) -> HttpResponse:
    profile = objects.get_profile_for(request, profile_id)
    filters = MonthForm(request.GET or None)
    month = filters.first(timezone.localdate())
    page = Paginator(selectors.month_entries(profile, month), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"profile": profile, "filters": filters, "month": month, "page": page, "query": query.urlencode()}
    context["lines"] = selectors.lines(list(page.object_list))
    context["total"] = selectors.format_minutes(selectors.month_minutes(profile, month))
    return render(request, "peers/activity/peer_activity.html", context)


@permission(policies.ACTIVITY_REVIEW)
@require_http_methods(["GET", "POST"])
def entry_correct(request: PlatformRequest, entry_id: int) -> HttpResponse:
    entry = objects.get_entry_for(request, entry_id, own=False)
    back = f"{reverse('peers:peer_activity', kwargs={'profile_id': entry.profile_id})}?mois={entry.day:%Y-%m}"
    if request.method == "POST" and "supprimer" in request.POST:
        services.activity_delete(request=request, entry=entry, correction=True)
        messages.success(request, _("La suppression est enregistrée et tracée dans le journal."))
        return redirect(back)
    form = EntryForm(request.POST or None, platform=request.platform, profile=entry.profile, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.activity_update(request=request, entry=entry, correction=True, **form.entry_values())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if changed:
                messages.success(request, _("La correction est enregistrée et tracée dans le journal."))
            else:
                messages.info(request, _("Aucun changement : rien n'a été enregistré."))
            return redirect(back)
    context = {"form": form, "entry": entry, "back": back, "workplaces": []}
    return render(request, "peers/activity/entry_correct.html", context)


@permission(policies.WORKLOAD)
@require_GET
def workload(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    start = WeekForm(request.GET).start(today)
    rows = selectors.workload_rows(request.platform, start)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "start": start,
        "end": start + timedelta(days=6),
        "previous": start - timedelta(days=7),
        "next": start + timedelta(days=7) if start < week_start(today) else None,
        "alert_count": sum(len(row.week.alerts) for row in rows),
        "workers_with_alerts": sum(1 for row in rows if row.week.alerts),
        "query": f"semaine={start}",
    }
    return render(request, "peers/activity/workload.html", context)
