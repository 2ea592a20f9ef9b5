"""The anonymous questionnaire behind a campaign's link: no account, no IP address kept, an answer
sent twice from the same page counted once, a polite page once the campaign is closed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pairs.core import ratelimit
from pairs.platforms.http import PlatformRequest
from pairs.platforms.permissions import permission
from pairs.platforms.tenancy import platform_scope, unscoped

from .. import policies, selectors
from ..forms.questionnaire import QuestionnaireForm, new_submission_key
from ..models import CampaignLink
from ..selectors import answer as answer_selectors
from ..services import answers

# A volume cap per link, never per visitor: nothing of the visitor (not even a digest of the IP
# address) is kept. A waiting room's QR poster does not bring 600 answers an hour.
ANSWER_LIMIT = 600
ANSWER_WINDOW_SECONDS = 3600

# The token is in the address: no cache, no referrer, no search engine.
# "same-origin", not "no-referrer": the token never leaves the site in a Referer header, and the form
# still sends its Origin, which the CSRF check needs ("no-referrer" makes it "null").
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex"}


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _link(answer_token: str) -> CampaignLink:
    """The link alone names the campaign, whatever space the visitor may be signed in to."""
    with unscoped():
        link = answer_selectors.link_by_token(answer_token)
    if link is None:
        raise Http404
    return link


@permission(policies.ANSWER)
def answer(request: PlatformRequest, answer_token: str) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    link = _link(answer_token)
    with platform_scope(link.platform_id):
        return _private(_answer(request, link))


def _answer(request: PlatformRequest, link: CampaignLink) -> HttpResponse:
    campaign = link.campaign
    today = timezone.localdate()
    if not answers.is_open(campaign, today):
        return _closed(request, link)
    definition = answers.definition_of(campaign)
    try:
        version = definition.respondent_version(link.perspective)
    except ValueError:
        raise Http404 from None
    if request.method == "POST":
        if ratelimit.hit(f"observatory-answer:{link.pk}", limit=ANSWER_LIMIT, window_seconds=ANSWER_WINDOW_SECONDS):
            raise ratelimit.RateLimited(retry_after_seconds=ANSWER_WINDOW_SECONDS)
        form = QuestionnaireForm(request.POST, definition=definition, perspective=link.perspective)
        if form.is_valid():
            key = form.key()
            if key is None:
                form = _expired(request, link, form)
            else:
                try:
                    # request=None on purpose: nothing of the request (account, address) is kept.
                    answers.response_record(
                        request=None,
                        campaign=campaign,
                        perspective=link.perspective,
                        answers=form.answers(),
                        submission_key=key,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    # None (already counted: the same page sent twice) also ends on the thank-you page.
                    done = reverse("observatory:answer_done", kwargs={"answer_token": link.token})
                    return HttpResponseRedirect(done, status=303)
    else:
        form = QuestionnaireForm(definition=definition, perspective=link.perspective)
    team = campaign.team
    context: dict[str, Any] = {
        "link": link,
        "campaign": campaign,
        "instrument": campaign.instrument,
        "team": team,
        "organisation": team.organisation if team is not None else None,
        "platform": link.platform,
        "version": version,
        "heading": _("Votre avis sur l'équipe %(team)s") % {"team": team.name} if team is not None else campaign.title,
        "threshold": selectors.threshold_of(link.platform),
        "question_count": len(version.items),
        "form": form,
    }
    return render(request, "observatory/answer.html", context)


def _expired(request: PlatformRequest, link: CampaignLink, form: QuestionnaireForm) -> QuestionnaireForm:
    """The hidden key was not drawn by us: nothing is saved; the answers stay checked, with a fresh
    key, so that sending again from this page works."""
    data = request.POST.copy()
    data["submission_key"] = new_submission_key()
    fresh = QuestionnaireForm(data, definition=form.definition, perspective=link.perspective)
    fresh.is_valid()
    fresh.add_error(None, _("Cette page a expiré : rechargez-la puis répondez à nouveau."))
    return fresh


def _closed(request: PlatformRequest, link: CampaignLink) -> HttpResponse:
    """Not open yet (200, with the opening date) or finished (410), whatever the method: nothing saved."""
    campaign = link.campaign
    not_yet = campaign.closed_at is None and timezone.localdate() < campaign.opens_on
    ended_on = campaign.closes_on
    if campaign.closed_at is not None:  # closed early by hand
        ended_on = min(ended_on, timezone.localdate(campaign.closed_at))
    team = campaign.team
    context = {
        "campaign": campaign,
        "team": team,
        "not_yet": not_yet,
        "opens_on": campaign.opens_on,
        "ended_on": ended_on,
    }
    return render(request, "observatory/answer_closed.html", context, status=200 if not_yet else 410)


@permission(policies.ANSWER)
def answer_done(request: PlatformRequest, answer_token: str) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    link = _link(answer_token)
    with platform_scope(link.platform_id):
        context = {"campaign": link.campaign, "team": link.campaign.team, "platform": link.platform}
        return _private(render(request, "observatory/answer_done.html", context))
