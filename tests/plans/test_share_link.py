"""The recipient's link: the one-time code from the outbox, wrong codes and the lock, expiry, every
access journaled, the calm "no longer shared" page that reveals nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.plans.models import AccessOutcome, CrisisPlan, PlanAccess, PlanShare
from pairs.plans.sections import NOT_BINDING
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.conftest import login_client
from tests.factories import MembershipFactory
from tests.plans.factories import finalise, make_plan, share
from tests.plans.test_sharing import text

GONE = "Ce document n'est plus partagé"
WARNING_SIGNS = "Je dors moins de quatre heures"


def link(item: PlanShare) -> str:
    return f"/plan-partage/{item.token}/"


def outcomes(item: PlanShare) -> list[str]:
    return list(item.accesses.order_by("at", "id").values_list("outcome", flat=True))


def views_of(item: PlanShare) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(action=Action.VIEW, object_type="plans.planversion", object_id=str(item.version_id))
    )


def send_code(client: Client, item: PlanShare) -> str:
    """Ask for a code and read it in the outbox, as the recipient reads their mailbox."""
    before = OutgoingEmail.objects.filter(kind="plan_share_code").count()
    response = client.post(link(item), {"action": "send"})
    assert response.status_code == 302 and response["Location"] == link(item)
    emails = OutgoingEmail.objects.filter(kind="plan_share_code").order_by("id")
    assert emails.count() == before + 1
    email = emails.last()
    assert email is not None and email.to == item.email
    found = re.search(r"\b(\d{6})\b", email.body)
    assert found, email.body
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"


def assert_private(response: Any) -> None:
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"


def assert_reveals_nothing(response: Any, item: PlanShare) -> None:
    assert response.status_code == 410
    page = text(response).split('<main id="contenu"', 1)[1].split("</main>", 1)[0]
    assert GONE in page
    plan = CrisisPlan.objects.select_related("person").get(pk=item.plan_id)
    for secret in (plan.person.pseudonym, item.name, "Garnier", "Claire Martin", "quatre heures", "Version"):
        assert secret not in page, secret
    assert not re.search(r"\b20\d\d\b", page)  # no date either
    assert_private(response)


# ---- The whole journey


def test_the_recipient_opens_the_link_with_the_code_from_the_outbox(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    response = client.get(link(item))
    page = text(response)
    assert response.status_code == 200 and "Un document est partagé avec vous" in page
    assert "Recevoir un code" in page and WARNING_SIGNS not in page and item.plan.person.pseudonym not in page
    assert_private(response)

    code = send_code(client, item)
    item.refresh_from_db()
    assert item.code_hash and code not in item.code_hash and item.code_expires_at is not None
    assert item.code_expires_at - timezone.now() <= timedelta(minutes=15)
    page = text(client.get(link(item)))
    assert code not in page and 'name="code"' in page and "Recevoir un nouveau code" in page
    email = OutgoingEmail.objects.get(kind="plan_share_code")
    assert "15 minutes" in email.body and email.platform == platform
    assert item.plan.person.pseudonym not in email.body and WARNING_SIGNS not in email.body

    response = client.post(link(item), {"action": "check", "code": wrong(code)})
    assert response.status_code == 200 and "Code incorrect. Il vous reste 4 essais." in text(response)
    assert WARNING_SIGNS not in text(response)

    response = client.post(link(item), {"action": "check", "code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302 and response["Location"] == link(item)
    item.refresh_from_db()
    assert item.failed_codes == 0 and item.code_hash == ""  # the code is used up

    response = client.get(link(item))
    page = text(response)
    assert response.status_code == 200 and "Plan de crise — directives anticipées" in page
    assert "Version 1 du" in page and str(NOT_BINDING) in page
    assert WARNING_SIGNS in page
    assert_private(response)
    client.get(link(item))

    assert outcomes(item) == [
        AccessOutcome.CODE_SENT,
        AccessOutcome.CODE_FAILED,
        AccessOutcome.OPENED,
        AccessOutcome.OPENED,
    ]
    entries = views_of(item)
    assert len(entries) == 2  # each time the document is shown
    for entry in entries:
        assert entry.platform == platform and entry.actor is None and entry.detail == f"share:{item.pk}"


def test_the_code_is_personal_to_the_browser_and_used_once(platform: Platform) -> None:
    item = share(make_plan(platform))
    first, second = Client(), Client()
    code = send_code(first, item)
    assert first.post(link(item), {"action": "check", "code": code}).status_code == 302
    response = second.get(link(item))
    assert WARNING_SIGNS not in text(response) and "Recevoir un code" in text(response)
    response = second.post(link(item), {"action": "check", "code": code})
    assert "Demandez d'abord un code" in text(response) and WARNING_SIGNS not in text(response)


def test_a_new_code_replaces_the_previous_one(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    old = send_code(client, item)
    new = send_code(client, item)
    if old != new:
        response = client.post(link(item), {"action": "check", "code": old})
        assert "Code incorrect." in text(response)
    assert client.post(link(item), {"action": "check", "code": new}).status_code == 302


def test_an_old_code_no_longer_works(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    code = send_code(client, item)
    PlanShare.objects.filter(pk=item.pk).update(code_expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link(item), {"action": "check", "code": code})
    assert "Ce code n'est plus valable. Demandez un nouveau code." in text(response)
    assert WARNING_SIGNS not in text(response)
    item.refresh_from_db()
    assert item.failed_codes == 0


def test_five_wrong_codes_lock_the_link(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    code = send_code(client, item)
    for left in (4, 3, 2):
        response = client.post(link(item), {"action": "check", "code": wrong(code)})
        assert f"Code incorrect. Il vous reste {left} essais." in text(response)
    response = client.post(link(item), {"action": "check", "code": "abc"})
    assert "Code incorrect. Il vous reste 1 essai." in text(response)
    response = client.post(link(item), {"action": "check", "code": wrong(code)})
    assert_reveals_nothing(response, item)
    item.refresh_from_db()
    assert item.locked_at is not None and item.failed_codes == 5
    assert outcomes(item).count(AccessOutcome.CODE_FAILED) == 5 and AccessOutcome.LOCKED in outcomes(item)
    lock = JournalEntry.objects.get(action=Action.UPDATE, object_type="plans.planshare")
    assert lock.platform == platform and "locked_at" in lock.fields

    # Locked for good: the right code, a new code, a new browser – nothing opens it.
    assert_reveals_nothing(client.post(link(item), {"action": "check", "code": code}), item)
    assert_reveals_nothing(client.post(link(item), {"action": "send"}), item)
    assert_reveals_nothing(Client().get(link(item)), item)
    assert OutgoingEmail.objects.filter(kind="plan_share_code").count() == 1
    assert not views_of(item)
    assert outcomes(item)[-1] == AccessOutcome.REFUSED


def test_without_a_code_the_link_alone_opens_the_document(platform: Platform) -> None:
    item = share(make_plan(platform), code_required=False)
    response = Client().get(link(item))
    assert response.status_code == 200 and WARNING_SIGNS in text(response)
    assert outcomes(item) == [AccessOutcome.OPENED] and len(views_of(item)) == 1


def test_an_expired_link_shows_the_calm_page(platform: Platform) -> None:
    item = share(make_plan(platform), code_required=False, expires_at=timezone.now() - timedelta(minutes=1))
    assert_reveals_nothing(Client().get(link(item)), item)
    assert outcomes(item) == [AccessOutcome.REFUSED] and not views_of(item)


def test_a_verified_browser_loses_access_when_the_link_expires(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    client.post(link(item), {"action": "check", "code": send_code(client, item)})
    assert WARNING_SIGNS in text(client.get(link(item)))
    PlanShare.objects.filter(pk=item.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_reveals_nothing(client.get(link(item)), item)


def test_an_unknown_link_shows_the_same_page(platform: Platform) -> None:
    item = share(make_plan(platform))
    response = Client().get("/plan-partage/pas-un-vrai-lien/")
    assert response.status_code == 410 and GONE in text(response)
    assert_private(response)
    assert not PlanAccess.objects.exists() and item.accesses.count() == 0


def test_a_verified_session_opens_only_its_own_link(platform: Platform) -> None:
    plan = make_plan(platform)
    version = finalise(plan)
    first, second = share(plan, version), share(plan, version, email="autre@exemple.org")
    client = Client()
    client.post(link(first), {"action": "check", "code": send_code(client, first)})
    assert WARNING_SIGNS in text(client.get(link(first)))
    assert WARNING_SIGNS not in text(client.get(link(second)))


def test_a_visitor_signed_in_to_another_platform_opens_the_link(platform: Platform, other_platform: Platform) -> None:
    item = share(make_plan(platform), code_required=False)
    visitor = MembershipFactory(platform=other_platform, role=Role.COORDINATOR)
    client = login_client(Client(), visitor)
    response = client.get(link(item))
    assert response.status_code == 200 and WARNING_SIGNS in text(response)
    (entry,) = views_of(item)
    assert entry.platform == platform and entry.actor_role == ""


def test_codes_sent_for_one_link_are_limited(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    for _i in range(5):
        send_code(client, item)
    response = client.post(link(item), {"action": "send"}, follow=True)
    assert "Trop de codes ont été demandés pour ce lien." in text(response)
    assert OutgoingEmail.objects.filter(kind="plan_share_code").count() == 5


def test_code_attempts_are_limited_per_address(platform: Platform) -> None:
    item = share(make_plan(platform))
    client = Client()
    statuses = [client.post(link(item), {"action": "check", "code": ""}).status_code for _i in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429


def test_other_methods_are_refused(platform: Platform) -> None:
    item = share(make_plan(platform))
    assert Client().put(link(item)).status_code == 405
    assert not PlanAccess.objects.exists()
