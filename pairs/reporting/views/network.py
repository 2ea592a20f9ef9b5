"""The network's indicators for a network administrator: the same figures side by side for every
platform, aggregated only, small numbers suppressed."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from .. import policies
from ..forms.period import PeriodForm, presets
from ..selectors.dashboard import shown_table
from ..selectors.network import network_table


@permission(policies.NETWORK)
def network_indicators(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        start, end = form.period
        context.update(
            start=start,
            end=end,
            presets=presets(start, end, today),
            table=shown_table(network_table(start, end), suppress=True),
        )
    else:
        context["presets"] = presets(None, None, today)
    return render(request, "reporting/network.html", context)
