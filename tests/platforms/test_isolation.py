"""A user of one platform never reaches another platform's objects: every URL naming an
object answers 404, in every role, for GET and POST. New URLs are covered automatically."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from pairs.platforms.models import Platform
from pairs.platforms.permissions import URL_NON_OBJECT_ARGUMENTS, URL_OBJECTS
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory


# How to create, in a given platform, the object a URL argument names. Every argument in
# URL_OBJECTS needs one here, or the test fails.
def _onboarding_step(platform: Platform) -> int:
    from datetime import date

    from pairs.peers.models import Onboarding, OnboardingStep
    from tests.peers.factories import PeerProfileFactory

    worker = PeerProfileFactory(membership__platform=platform)
    tutor = PeerProfileFactory(membership__platform=platform)
    onboarding = Onboarding.objects.create(profile=worker, tutor=tutor)
    return OnboardingStep.objects.create(onboarding=onboarding, title="Étape", kind="other", due_on=date(2026, 1, 1)).pk


def _absence(platform: Platform) -> int:
    from datetime import date

    from django.db.backends.postgresql.psycopg_any import DateRange

    from pairs.peers.models import AvailabilityException
    from tests.peers.factories import PeerProfileFactory

    profile = PeerProfileFactory(membership__platform=platform)
    period = DateRange(date(2026, 1, 1), date(2026, 1, 5), "[]")
    return AvailabilityException.objects.create(profile=profile, period=period, kind="leave").pk


def _peer_maker(name: str) -> Callable[[Platform], Any]:
    def make(platform: Platform) -> Any:
        from tests.peers import factories as peers

        if name == "profile":
            return peers.PeerProfileFactory(membership__platform=platform).pk
        if name == "entry":
            return peers.ActivityEntryFactory(profile__membership__platform=platform).pk
        if name == "review":
            return peers.CareerReviewFactory(profile__membership__platform=platform).pk
        if name == "training":
            return peers.TrainingRecordFactory(profile__membership__platform=platform).pk
        return peers.SupervisionSessionFactory(platform=platform).pk

    return make


def _partners() -> Any:
    from tests.partners import factories

    return factories


def _instrument(platform: Platform) -> int:
    from pairs.observatory.models import Instrument

    return Instrument.objects.create(
        platform=platform, code="demo", version="1", name="Démo", licence="free", definition={}, source_text=""
    ).pk


def _peers() -> Any:
    from tests.peers import factories

    return factories


def _events() -> Any:
    from tests.events import factories

    return factories


def _resources() -> Any:
    from tests.resources import factories

    return factories


def _reporting() -> Any:
    from tests.reporting import factories

    return factories


def _observatory() -> Any:
    from tests.observatory import factories

    return factories


def _plans() -> Any:
    from tests.plans import factories

    return factories


def _support() -> Any:
    from tests.support import factories

    return factories


def _deployments() -> Any:
    from tests.deployments import factories

    return factories


OBJECT_MAKERS: dict[str, Callable[[Platform], Any]] = {
    "membership_id": lambda platform: MembershipFactory(platform=platform, role=Role.PERSON).pk,
    "profile_id": _peer_maker("profile"),
    "entry_id": _peer_maker("entry"),
    "review_id": _peer_maker("review"),
    "training_id": _peer_maker("training"),
    "session_id": _peer_maker("session"),
    "step_id": _onboarding_step,
    "organisation_id": lambda platform: _partners().OrganisationFactory(platform=platform).pk,
    "contact_id": lambda platform: _partners().ContactFactory(organisation__platform=platform).pk,
    "deployment_id": lambda platform: _deployments().DeploymentFactory(organisation__platform=platform).pk,
    "prerequisite_id": lambda platform: (
        _deployments().PrerequisiteFactory(deployment__organisation__platform=platform).pk
    ),
    "exception_id": _absence,
    "assignment_id": lambda platform: _deployments().AssignmentFactory(deployment__organisation__platform=platform).pk,
    "joint_review_id": lambda platform: _deployments().ReviewFactory(deployment__organisation__platform=platform).pk,
    "transition_task_id": lambda platform: _deployments().transition_task(platform).pk,
    "contract_id": lambda platform: _deployments().ContractFactory(deployment__organisation__platform=platform).pk,
    "support_request_id": lambda platform: _support().SupportRequestFactory(platform=platform).pk,
    "person_id": lambda platform: _support().person_of(platform).pk,
    "consent_id": lambda platform: _support().consent(_support().person_of(platform)).pk,
    "meeting_id": lambda platform: _support().MeetingFactory(person=_support().person_of(platform)).pk,
    "place_id": lambda platform: _support().PlaceFactory(platform=platform).pk,
    "group_id": lambda platform: _support().GroupFactory(platform=platform).pk,
    "group_session_id": lambda platform: _support().GroupSessionFactory(group__platform=platform).pk,
    "note_id": lambda platform: _support().note(_support().person_of(platform)).pk,
    "plan_id": lambda platform: _plans().make_plan(platform).pk,
    "version_id": lambda platform: _plans().finalise(_plans().make_plan(platform)).pk,
    "share_id": lambda platform: _plans().share(_plans().make_plan(platform)).pk,
    "instrument_id": _instrument,
    "campaign_id": lambda platform: _observatory().CampaignFactory(platform=platform).pk,
    "intern_id": lambda platform: _peers().intern_record(platform).pk,
    "event_id": lambda platform: _events().EventFactory(platform=platform).pk,
    "programme_id": lambda platform: _events().ProgrammeFactory(platform=platform).pk,
    "member_id": lambda platform: _events().CircleMemberFactory(platform=platform).pk,
    "document_id": lambda platform: _resources().DocumentFactory(platform=platform).pk,
    "job_id": lambda platform: _resources().JobOfferFactory(platform=platform).pk,
    "report_id": lambda platform: _reporting().YearlyReportFactory(platform=platform).pk,
}


def iter_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        else:
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, entry


def object_patterns() -> list[tuple[str, URLPattern]]:
    return [(name, p) for name, p in iter_patterns() if p.pattern.converters]


def test_every_url_argument_is_declared() -> None:
    undeclared = {
        f"{name}: <{arg}>"
        for name, pattern in iter_patterns()
        for arg in pattern.pattern.converters
        if arg not in URL_OBJECTS and arg not in URL_NON_OBJECT_ARGUMENTS
    }
    assert not undeclared, f"Declare these URL arguments with register_url_object(): {sorted(undeclared)}"


# Values for the other arguments of a URL that also names an object (a section of a plan…).
NON_OBJECT_VALUES: dict[str, Any] = {"section": "identity", "perspective": "professionnels"}


def test_every_object_argument_has_a_maker() -> None:
    assert set(URL_OBJECTS) <= set(OBJECT_MAKERS), "Add an OBJECT_MAKERS entry for each object argument"


def test_there_are_object_urls_to_check() -> None:
    names = {name for name, pattern in object_patterns() if set(pattern.pattern.converters) & set(URL_OBJECTS)}
    assert "platforms:member_detail" in names


@pytest.mark.parametrize("role", list(Role))
def test_other_platform_objects_answer_404_in_every_role(
    role: Role, platform: Platform, other_platform: Platform, client_as: Any
) -> None:
    client, _membership = client_as(role, platform)
    checked = 0
    for name, pattern in object_patterns():
        arguments = pattern.pattern.converters
        if not set(arguments) & set(URL_OBJECTS):
            continue
        kwargs = {
            arg: OBJECT_MAKERS[arg](other_platform) if arg in URL_OBJECTS else NON_OBJECT_VALUES[arg]
            for arg in arguments
        }
        from django.urls import reverse

        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{role} {method.upper()} {name} {url} -> {response.status_code}"
            checked += 1
    assert checked > 0


def test_own_platform_object_is_refused_with_403_for_a_wrong_role(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.PEER_WORKER, platform)
    own = MembershipFactory(platform=platform, role=Role.PERSON)
    response = client.get(f"/membres/{own.pk}/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
