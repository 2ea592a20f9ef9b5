"""Territorial equity: for each commune and EPCI of the territory, people supported per 10,000
inhabitants, distances to the nearest peer worker and accessible meeting place, the share of remote
meetings; the map (SVG from the communes' centres) with its sortable table, under-served communes
flagged by rule, and the "what if" tool."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.roles import Role

from .. import policies
from ..forms.territory import PeriodForm, SortForm, WhatIfForm
from ..indicators import is_small, shown
from ..selectors import territory as selectors
from ..selectors.territory import Area, Equity

PERIOD_KEYS = ("periode",)
SORT_KEYS = ("tri", "ordre")
WHAT_IF_KEYS = ("pivot", "lieu")


def _hidden(request: PlatformRequest, names: Sequence[str]) -> list[tuple[str, str]]:
    """The other forms' values, kept when one form is sent (as typed)."""
    return [(name, request.GET[name]) for name in names if request.GET.get(name)]


def _without(request: PlatformRequest, names: Sequence[str]) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return f"?{params.urlencode()}" if params else "?"


def _n(value: int) -> str:
    """A count of communes or inhabitants: never suppressed."""
    return shown(value, suppress=False)


def _km(value: float | None) -> str:
    return shown(round(value, 1) if value is not None else None, unit="km")


def _changed(before: float | None, after: float | None) -> str:
    """The distance with the hypothesis, when it differs ("" otherwise)."""
    if after is None or (before is not None and round(after, 1) >= round(before, 1)):
        return ""
    return _km(after)


def _cells(area: Area, *, suppress: bool) -> dict[str, Any]:
    hidden_rates = suppress and is_small(area.people)
    per_10k = area.per_10k
    remote = area.remote_share
    return {
        "area": area,
        "population": _n(area.population),
        "people": shown(area.people, suppress=suppress),
        "per_10k": "—" if hidden_rates or per_10k is None else shown(round(per_10k, 1)),
        "km_peer": _km(area.km_peer),
        "km_place": _km(area.km_place),
        "km_peer_if": _changed(area.km_peer, area.km_peer_if),
        "km_place_if": _changed(area.km_place, area.km_place_if),
        "remote": "—" if hidden_rates or remote is None else shown(round(remote, 1), unit="%"),
    }


def _columns(request: PlatformRequest, sort: SortForm) -> list[dict[str, Any]]:
    """The communes table's headers: each a link sorting by that column (the other way when it is
    the sorted one), with ``aria-sort`` on the sorted one."""
    labels = {
        "nom": _("Commune"),
        "epci": _("Intercommunalité"),
        "population": _("Habitants"),
        "personnes": _("Personnes accompagnées"),
        "portee": _("Pour 10 000 habitants"),
        "km_pair": _("Pair aidant·e le plus proche"),
        "km_lieu": _("Lieu de rencontre le plus proche"),
        "distanciel": _("Rencontres à distance"),
        "statut": _("Situation"),
    }
    current, descending = sort.key(), sort.descending()
    columns = []
    for key, label in labels.items():
        sorted_here = key == current
        params = request.GET.copy()
        params["tri"] = key
        params["ordre"] = "asc" if sorted_here and descending else ("desc" if sorted_here else "asc")
        columns.append(
            {
                "key": key,
                "label": label,
                "url": f"?{params.urlencode()}#communes",
                "aria_sort": ("descending" if descending else "ascending") if sorted_here else "",
            }
        )
    return columns


def _summary(equity: Equity) -> dict[str, Any]:
    within = equity.within_reach
    population = sum(area.population for area in within)
    if within:
        reach = ngettext(
            "%(n)s commune, %(population)s habitants, passerait sous %(km)s km d'une ressource.",
            "%(n)s communes, %(population)s habitants, passeraient sous %(km)s km d'une ressource.",
            len(within),
        ) % {"n": _n(len(within)), "population": _n(population), "km": _n(int(selectors.FAR_KM))}
    else:
        reach = _("Aucune commune ne passerait sous %(km)s km d'une ressource.") % {"km": _n(int(selectors.FAR_KM))}
    relieved = equity.relieved
    if relieved:
        relieved_text = ngettext(
            "%(n)s commune ne serait plus sous-desservie :",
            "%(n)s communes ne seraient plus sous-desservies :",
            len(relieved),
        ) % {"n": _n(len(relieved))}
    else:
        relieved_text = _("Aucune commune ne cesserait d'être sous-desservie.")
    epcis = equity.relieved_epcis
    epci_text = (
        ngettext(
            "%(n)s intercommunalité ne serait plus sous-desservie :",
            "%(n)s intercommunalités ne seraient plus sous-desservies :",
            len(epcis),
        )
        % {"n": _n(len(epcis))}
        if epcis
        else ""
    )
    return {
        "reach": reach,
        "relieved_text": relieved_text,
        "relieved": relieved,
        "epci_text": epci_text,
        "epcis": epcis,
    }


@permission(policies.TERRITORY)
@require_GET
def equity(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    membership = request.membership
    suppress = membership is None or membership.role != Role.COORDINATOR  # the funder: small numbers hidden
    communes = selectors.territory_communes(request.platform)
    period_form = PeriodForm(request.GET or None, today=today)
    period = period_form.period() if period_form.is_bound else selectors.last_twelve_months(today)
    what_if = WhatIfForm(request.GET or None, communes=communes)
    sort = SortForm(request.GET)
    result = selectors.territory_equity(
        request.platform, period=period, today=today, communes=communes, hypothesis=what_if.hypothesis()
    )
    rows = selectors.sorted_areas(result.communes, key=sort.key(), descending=sort.descending(), suppress=suppress)
    underserved = result.underserved
    context = {
        "equity": result,
        "period": period,
        "period_form": period_form,
        "what_if": what_if,
        "period_hidden": _hidden(request, SORT_KEYS + WHAT_IF_KEYS),
        "what_if_hidden": _hidden(request, PERIOD_KEYS + SORT_KEYS),
        "suppress": suppress,
        "map": selectors.territory_map(result, suppress=suppress),
        "columns": _columns(request, sort),
        "rows": [_cells(area, suppress=suppress) for area in rows],
        "epci_rows": [_cells(area, suppress=suppress) for area in result.epcis],
        "summary": _summary(result) if result.hypothesis else None,
        "clear_url": _without(request, WHAT_IF_KEYS),
        "figures": {
            "people": shown(result.people, suppress=suppress),
            "population": _n(result.population),
            "per_10k": "—"
            if result.per_10k is None or (suppress and is_small(result.people))
            else shown(round(result.per_10k, 1)),
            "underserved": _n(len(underserved)),
            "underserved_population": _n(sum(area.population for area in underserved)),
            "median": shown(round(result.median_reach, 1)) if result.median_reach is not None else "—",
            "threshold": shown(round(result.threshold, 1)) if result.threshold is not None else "—",
            "elsewhere": shown(result.people_elsewhere, suppress=suppress),
        },
        "rule": {
            "population": _n(selectors.MIN_POPULATION),
            "km": _n(int(selectors.FAR_KM)),
        },
        "peer_communes": [r for r in result.peers if r.in_territory],
        "place_communes": [r for r in result.places if r.in_territory],
        "outside": [r for r in (*result.peers, *result.places) if not r.in_territory],
    }
    return render(request, "reporting/territory.html", context)
