from __future__ import annotations

from typing import Any

from pairs.deployments import services
from pairs.deployments.models import State
from pairs.notifications.models import OutgoingEmail
from pairs.partners.models import Contact
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.deployments.factories import DeploymentFactory
from tests.factories import MembershipFactory


def test_partner_accounts_are_told_when_their_request_moves_on(
    platform: Platform, django_capture_on_commit_callbacks: Any
) -> None:
    deployment = DeploymentFactory(organisation__platform=platform)
    partner = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT)
    Contact.objects.create(
        platform=platform, organisation=deployment.organisation, first_name="Léa", last_name="Test", membership=partner
    )
    Contact.objects.create(
        platform=platform, organisation=deployment.organisation, first_name="Sans", last_name="Compte"
    )
    coordinator = MembershipFactory(platform=platform, role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        services.deployment_advance(
            request=None,
            deployment=deployment,
            by=coordinator.user,
            expected_state=deployment.state,
            target=State.ANALYSIS,
            reason="Relue en réunion",
        )
    email = OutgoingEmail.objects.get(kind="deployment_step_changed")
    assert email.to == partner.user.email
    assert email.subject == "Votre demande est passée à l'étape « Analyse »"
    assert "Relue en réunion" not in email.body and f"/deploiements/{deployment.pk}/" in email.body
