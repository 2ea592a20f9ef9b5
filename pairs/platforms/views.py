from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pairs.accounts.decorators import recent_authentication
from pairs.journal import selectors as journal_selectors
from pairs.journal import services as journal

from . import policies, selectors, services
from .forms import MemberEditForm, MemberFilterForm, MemberInviteForm
from .http import PlatformRequest
from .permissions import permission
from .roles import Role


@permission(policies.MEMBER_LIST)
def member_list(request: PlatformRequest) -> HttpResponse:
    filters = MemberFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.membership_list(
        request.platform,
        role=data.get("role", ""),
        query=data.get("q", ""),
        active=data.get("active", ""),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "platforms/member_list.html", context)


@permission(policies.MEMBER_VIEW)
def member_detail(request: PlatformRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_for(request.platform, membership_id)
    journal.log_view(request=request, obj=membership.user)
    context = {
        "membership": membership,
        "other_roles": selectors.other_memberships_in_platform(membership),
        "history": journal_selectors.entries_about(request.platform, membership)[:20],
    }
    return render(request, "platforms/member_detail.html", context)


@permission(policies.MEMBER_INVITE)
@require_http_methods(["GET", "POST"])
def member_invite(request: PlatformRequest) -> HttpResponse:
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(
                request=request,
                platform=request.platform,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=Role(form.cleaned_data["role"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'invitation est envoyée à %(email)s.") % {"email": membership.user.email})
            return redirect("platforms:member_detail", membership_id=membership.pk)
    return render(request, "platforms/member_invite.html", {"form": form})


@permission(policies.MEMBER_EDIT)
@recent_authentication
@require_http_methods(["GET", "POST"])
def member_edit(request: PlatformRequest, membership_id: int) -> HttpResponse:
    membership = selectors.get_membership_for(request.platform, membership_id)
    initial = {"role": membership.role, "is_active": membership.is_active}
    form = MemberEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                request=request,
                membership=membership,
                role=Role(form.cleaned_data["role"]),
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les changements sont enregistrés."))
            return redirect("platforms:member_detail", membership_id=membership.pk)
    return render(request, "platforms/member_edit.html", {"form": form, "membership": membership})
