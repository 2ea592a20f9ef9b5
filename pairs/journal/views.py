from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission

from . import policies, selectors
from .forms import JournalFilterForm


@permission(policies.JOURNAL_VIEW)
def journal_list(request: PlatformRequest) -> HttpResponse:
    platform = request.platform
    form = JournalFilterForm(request.GET or None, object_types=selectors.object_types(platform))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.journal_for_platform(platform, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "journal/journal_list.html", context)
