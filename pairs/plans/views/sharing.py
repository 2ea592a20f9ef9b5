"""Sharing a finalised version with named recipients through expiring, revocable links with a
one-time code; revoking; the recipient's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from pairs.core import ratelimit
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies, selectors
from ..forms.sharing import CodeForm, ShareForm
from ..models import CrisisPlan, PlanShare
from ..sections import NOT_BINDING
from ..selectors import sharing as reads
from ..services import sharing as writes

# Requests to a share link per client address and hour, and code actions (send, check) per quarter hour.
OPEN_LIMIT = 120
OPEN_WINDOW_SECONDS = 3600
CODE_LIMIT = 20
CODE_WINDOW_SECONDS = 900
# Codes sent for one link per hour, whoever asks (the recipient's mailbox is not to be flooded).
SENDS_PER_LINK = 5
SENDS_WINDOW_SECONDS = 3600


def _plan_url(plan: CrisisPlan, anchor: str = "partages") -> str:
    return reverse("plans:detail", kwargs={"plan_id": plan.pk}) + f"#{anchor}"


def shares_context(request: PlatformRequest, plan: CrisisPlan) -> dict[str, Any]:
    """What this part adds to the plan page (templates/plans/_shares.html)."""
    writable = selectors.can_write(request, plan)
    show_accesses = reads.can_see_accesses(request, plan)
    rows = reads.share_rows(plan, with_accesses=show_accesses)
    return {
        "share_rows": rows,
        "share_show_accesses": show_accesses,
        "share_any_access": any(row.accesses for row in rows),
        "share_can_add": writable and reads.finalised_versions(plan).exists(),
        "share_can_withdraw": reads.can_manage_shares(request, plan),
        "plan_can_revoke": writable,
        "plan_is_revoked": plan.revoked_at is not None,
    }


# ---- The person's side


@permission(policies.PLAN_WRITE)
def share_add(request: PlatformRequest, plan_id: int) -> HttpResponse:
    """Share a finalised version with a named recipient: a link with an expiry, e-mailed to them."""
    plan = selectors.get_plan_for(request, plan_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not selectors.can_write(request, plan):
        messages.error(request, _("Ce plan est révoqué : il ne peut plus être partagé."))
        return redirect(_plan_url(plan))
    versions = reads.finalised_versions(plan)
    latest = versions.first()
    if latest is None:
        messages.error(request, _("Finalisez d'abord une version du plan : seule une version finalisée se partage."))
        return redirect(_plan_url(plan))
    initial = {"version": latest.pk, "expires_on": reads.default_expiry(plan.platform)}
    form = ShareForm(request.POST if request.method == "POST" else None, versions=versions, initial=initial)
    form.fields["expires_on"].widget.attrs.update(
        {"min": timezone.localdate().isoformat(), "max": reads.max_expiry().isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            share = writes.share_create(request=request, plan=plan, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Le lien est envoyé à %(email)s. Vous pouvez retirer ce partage à tout moment.")
                % {"email": share.email},
            )
            return redirect(_plan_url(plan))
    response = render(request, "plans/share_form.html", {"plan": plan, "form": form})
    if request.method == "POST":
        add_never_cache_headers(response)
    return response


@permission(policies.PLAN_WRITE)
def share_revoke(request: PlatformRequest, share_id: int) -> HttpResponse:
    """Withdraw one share: its link shows the "no longer shared" page at once."""
    share = reads.get_share_for(request, share_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    writes.share_revoke(request=request, share=share)
    messages.success(
        request, _("Le partage avec %(name)s est retiré : le lien ne fonctionne plus.") % {"name": share.name}
    )
    return redirect(_plan_url(share.plan))


@permission(policies.PLAN_WRITE)
def plan_revoke(request: PlatformRequest, plan_id: int) -> HttpResponse:
    """Revoke the whole plan: every link stops, nobody edits or shares it again; the person still reads
    and exports it."""
    plan = selectors.get_plan_for(request, plan_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if plan.revoked_at is not None:
        messages.info(request, _("Ce plan est déjà révoqué."))
        return redirect(_plan_url(plan, "partages"))
    if request.method == "POST":
        try:
            writes.plan_revoke(request=request, plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Le plan est révoqué. Tous les liens de partage ont cessé de fonctionner."))
        return redirect(_plan_url(plan, "partages"))
    rows = reads.share_rows(plan, with_accesses=False)
    context = {"plan": plan, "open_shares": sum(1 for row in rows if row.state.open)}
    return render(request, "plans/plan_revoke.html", context)


# ---- The recipient's link


def _private(response: HttpResponse) -> HttpResponse:
    """Never cached, never indexed, never leaking the link through the Referer header."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # "same-origin", not "no-referrer": the token never leaves the site in a Referer header, and the
    # code form still sends its Origin, which the CSRF check needs ("no-referrer" makes it "null").
    response["Referrer-Policy"] = "same-origin"
    return response


def _gone(request: PlatformRequest) -> HttpResponse:
    """The same calm page whatever the reason: unknown, expired, withdrawn, revoked or locked."""
    return _private(render(request, "plans/share_gone.html", status=410))


@permission(policies.SHARE_PUBLIC)
def share_open(request: PlatformRequest, share_token: str) -> HttpResponse:
    """The recipient's page: the one-time code if asked for, then the shared version."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    ratelimit.check(request, "plan-share-open", limit=OPEN_LIMIT, window_seconds=OPEN_WINDOW_SECONDS)
    with unscoped():  # the visitor is not signed in, or signed in elsewhere: the link alone names the share
        share = reads.share_by_token(share_token)
    if share is None:
        return _gone(request)
    with platform_scope(share.plan.platform_id):
        return _private(_open(request, share))


def _open(request: PlatformRequest, share: PlanShare) -> HttpResponse:
    if not reads.share_is_open(share):
        writes.access_refused(share=share)
        return _gone(request)
    if share.code_required and not reads.session_verified(request, share):
        return _code_step(request, share)
    writes.document_opened(request=request, share=share)
    context = {
        "share": share,
        "version": share.version,
        "last_day": reads.last_day(share),
        "sections": reads.shared_sections(share),
        "not_binding": NOT_BINDING,
        "document": True,
    }
    return render(request, "plans/share_open.html", context)


def _code_step(request: PlatformRequest, share: PlanShare) -> HttpResponse:
    form = CodeForm()
    if request.method == "POST":
        ratelimit.check(request, "plan-share-code", limit=CODE_LIMIT, window_seconds=CODE_WINDOW_SECONDS)
        if request.POST.get("action") == "send":
            if ratelimit.hit(f"plan-share-send:{share.pk}", limit=SENDS_PER_LINK, window_seconds=SENDS_WINDOW_SECONDS):
                messages.error(request, _("Trop de codes ont été demandés pour ce lien. Réessayez dans une heure."))
            elif writes.code_send(share=share):
                messages.success(
                    request,
                    _("Un code vient d'être envoyé à l'adresse e-mail qui a reçu ce lien. Il est valable 15 minutes."),
                )
            else:
                return _gone(request)
            return redirect(request.path)
        form = CodeForm(request.POST)
        if form.is_valid():
            result = writes.code_check(request=request, share=share, code=form.cleaned_data["code"])
            if result.locked:
                return _gone(request)
            if result.ok:
                request.session[reads.session_key(share)] = share.expires_at.timestamp()
                return redirect(request.path)
            form.add_error("code", result.message)
    share.refresh_from_db(fields=["code_hash", "code_expires_at"])
    context = {"form": form, "code_pending": reads.code_pending(share), "document": False}
    return render(request, "plans/share_open.html", context)
