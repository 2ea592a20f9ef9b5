"""Contacts of a partner, and the partner-contact account a coordinator gives them."""

from __future__ import annotations

from typing import Any

from pairs.journal.models import Action, JournalEntry
from pairs.notifications.models import OutgoingEmail
from pairs.partners.models import Contact
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from tests.factories import MembershipFactory, UserFactory
from tests.partners.factories import ContactFactory, OrganisationFactory


def body(response: Any) -> str:
    text = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in text
    return text


def test_a_coordinator_adds_a_contact(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    url = f"/partenaires/{organisation.pk}/contacts/"
    assert "Ajouter un contact chez" in body(client.get(url))

    data = {
        "first_name": "Clémence",
        "last_name": "Exemple",
        "job_title": "Cadre de santé",
        "email": "Clemence.Exemple@partenaire.test.example",
        "phone": "",
    }
    response = client.post(url, data, follow=True)

    contact = Contact.objects.get(organisation=organisation)
    assert (contact.first_name, contact.email, contact.platform_id) == (
        "Clémence",
        "clemence.exemple@partenaire.test.example",
        platform.pk,
    )
    assert "Le contact Clémence Exemple est ajouté." in body(response)
    entry = JournalEntry.objects.get(action=Action.CREATE, object_type="partners.contact")
    assert entry.fields == ["email", "first_name", "job_title", "last_name"]
    assert "Clémence" not in entry.detail


def test_a_contact_needs_a_name_and_keeps_what_was_typed(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)

    response = client.post(
        f"/partenaires/{organisation.pk}/contacts/", {"first_name": "Denis", "last_name": "", "job_title": "Infirmier"}
    )

    text = body(response)
    assert "Ce champ est obligatoire." in text
    assert 'value="Infirmier"' in text
    assert not Contact.objects.exists()


def test_a_duplicate_email_at_the_same_partner_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    ContactFactory(organisation=organisation, email="equipe@partenaire.test.example")

    response = client.post(
        f"/partenaires/{organisation.pk}/contacts/",
        {"first_name": "Eva", "last_name": "Fictive", "email": "EQUIPE@partenaire.test.example"},
    )

    assert "Un contact de ce partenaire a déjà cette adresse e-mail." in body(response)
    assert Contact.objects.count() == 1


def test_giving_a_partner_account_creates_links_and_invites(
    platform: Platform, client_as: Any, django_capture_on_commit_callbacks: Any, run_jobs: Any, mailoutbox: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    contact = ContactFactory(
        organisation=OrganisationFactory(platform=platform),
        first_name="Fanny",
        last_name="Exemple",
        email="fanny.exemple@partenaire.test.example",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contacts/{contact.pk}/compte/", follow=True)

    contact.refresh_from_db()
    membership = contact.membership
    assert membership is not None
    assert (membership.role, membership.platform_id) == (Role.PARTNER_CONTACT, platform.pk)
    assert membership.user.email == "fanny.exemple@partenaire.test.example"
    assert membership.user.first_name == "Fanny"
    email = OutgoingEmail.objects.get(kind="invitation", to="fanny.exemple@partenaire.test.example")
    assert email.platform_id == platform.pk
    assert "Fanny Exemple a maintenant un compte partenaire" in body(response)
    assert "Compte actif" in body(response)
    assert JournalEntry.objects.filter(
        action=Action.UPDATE, object_type="partners.contact", object_id=str(contact.pk), fields=["membership"]
    ).exists()
    assert run_jobs() == 1
    assert mailoutbox[0].to == ["fanny.exemple@partenaire.test.example"]


def test_a_contact_without_email_gets_no_account(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    contact = ContactFactory(organisation=OrganisationFactory(platform=platform), without_email=True)

    response = client.post(f"/contacts/{contact.pk}/compte/", follow=True)

    assert "Ajoutez d&#x27;abord l&#x27;adresse e-mail de ce contact" in body(response)
    contact.refresh_from_db()
    assert contact.membership is None
    assert not OutgoingEmail.objects.exists()
    assert not Membership.objects.filter(role=Role.PARTNER_CONTACT).exists()


def test_a_contact_with_an_account_is_not_invited_twice(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    membership = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT)
    contact = ContactFactory(organisation=OrganisationFactory(platform=platform), membership=membership)

    response = client.post(f"/contacts/{contact.pk}/compte/", follow=True)

    assert "Ce contact a déjà un compte partenaire." in body(response)
    assert not OutgoingEmail.objects.exists()


def test_an_existing_unlinked_partner_account_is_linked_without_new_invitation(
    platform: Platform, client_as: Any
) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    user = UserFactory(email="gaspard@partenaire.test.example")
    membership = MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT, user=user)
    contact = ContactFactory(
        organisation=OrganisationFactory(platform=platform), email="Gaspard@partenaire.test.example"
    )

    response = client.post(f"/contacts/{contact.pk}/compte/", follow=True)

    contact.refresh_from_db()
    assert contact.membership == membership
    assert "avait déjà un compte partenaire" in body(response)
    assert not OutgoingEmail.objects.exists()


def test_an_address_already_used_by_another_contacts_account_is_refused(platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    organisation = OrganisationFactory(platform=platform)
    user = UserFactory(email="helene@partenaire.test.example")
    ContactFactory(
        organisation=organisation, membership=MembershipFactory(platform=platform, role=Role.PARTNER_CONTACT, user=user)
    )
    contact = ContactFactory(organisation=organisation, email="helene@partenaire.test.example")

    response = client.post(f"/contacts/{contact.pk}/compte/", follow=True)

    assert "déjà celle du compte partenaire d&#x27;un autre contact" in body(response)
    contact.refresh_from_db()
    assert contact.membership is None


def test_only_coordinators_give_accounts_and_by_post(platform: Platform, client_as: Any) -> None:
    contact = ContactFactory(organisation=OrganisationFactory(platform=platform))
    partner, _ = client_as(Role.PARTNER_CONTACT, platform)
    coordinator, _ = client_as(Role.COORDINATOR, platform)
    assert partner.post(f"/contacts/{contact.pk}/compte/").status_code == 403
    assert coordinator.get(f"/contacts/{contact.pk}/compte/").status_code == 405
    assert partner.get(f"/partenaires/{contact.organisation_id}/contacts/").status_code == 403


def test_another_platforms_contact_answers_404(platform: Platform, other_platform: Platform, client_as: Any) -> None:
    client, _ = client_as(Role.COORDINATOR, platform)
    contact = ContactFactory(organisation=OrganisationFactory(platform=other_platform))
    assert client.post(f"/contacts/{contact.pk}/compte/").status_code == 404
    assert client.get(f"/partenaires/{contact.organisation_id}/contacts/").status_code == 404
