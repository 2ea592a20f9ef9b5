"""The attendance certificate behind the registrant's personal link: a tagged PDF with the name, the
event, its duration and its trainers, only for a person marked present once the attendance is
validated; anything else answers 404. WeasyPrint needs Pango: without it these tests are skipped,
except in CI where they fail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pairs.events.models import Event, Kind, Registration
from pairs.events.services import attendance as writes
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from tests.events.factories import ProgrammeFactory, RegistrationFactory
from tests.events.test_attendance import client_of, past_event, peer
from tests.plans.test_pdf import pages_text, require_pdf


@pytest.fixture(autouse=True)
def _pdf_ready() -> None:
    require_pdf()


def certificate_url(registration: Registration) -> str:
    return f"/inscription/{registration.token}/attestation.pdf"


def validated(platform: Platform, **kwargs: object) -> tuple[Event, Registration, Registration]:
    trainer = peer(platform)
    trainer.membership.user.first_name, trainer.membership.user.last_name = "Yasmine", "Formatrice"
    trainer.membership.user.save(update_fields=["first_name", "last_name"])
    event = past_event(platform, trainers=[trainer], title="Formation au rétablissement", **kwargs)
    present = RegistrationFactory(event=event, name="Alice Martin", attended=True)
    absent = RegistrationFactory(event=event, name="Bruno Petit", attended=False)
    writes.attendance_close(request=None, event=event)
    return event, present, absent


def test_the_certificate_of_a_person_present(platform: Platform) -> None:
    programme = ProgrammeFactory(platform=platform, title="Parcours rétablissement de l'équipe")
    event, present, _absent = validated(platform, kind=Kind.TRAINING, programme=programme)
    response = Client().get(certificate_url(present))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    day = timezone.localdate(event.starts_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="attestation-{day}.pdf"'
    assert "no-store" in response["Cache-Control"]
    page = " ".join(pages_text(response.content))
    assert "Attestation de présence" in page and "Pairs Test Rhône" in page
    assert "Alice Martin" in page and "Formation au rétablissement" in page
    assert "2 h" in page and "Yasmine Formatrice" in page
    assert "Parcours rétablissement de l'équipe" in page and "Villefranche-sur-Saône" in page
    assert "Formation aux pratiques orientées rétablissement" in page  # the type
    assert "Fait le" in page
    assert "Bruno Petit" not in page


def test_a_remote_event_of_two_hours_and_a_half(platform: Platform) -> None:
    start = timezone.now().replace(microsecond=0) - timedelta(hours=4)
    _event, present, _absent = validated(
        platform,
        place="",
        video_link="https://visio.exemple.test/salle",
        starts_at=start,
        ends_at=start + timedelta(minutes=150),
    )
    page = " ".join(pages_text(Client().get(certificate_url(present)).content))
    assert "2 h 30" in page and "à distance" in page


def test_no_certificate_for_an_absent_person_nor_before_validation(platform: Platform) -> None:
    _event, present, absent = validated(platform)
    assert Client().get(certificate_url(absent)).status_code == 404
    assert Client().get("/inscription/inconnu/attestation.pdf").status_code == 404
    assert Client().post(certificate_url(present)).status_code == 405
    trainer = peer(platform)
    open_event = past_event(platform, trainers=[trainer])
    marked = RegistrationFactory(event=open_event, attended=True)
    assert Client().get(certificate_url(marked)).status_code == 404


def test_the_link_alone_is_enough_even_signed_in_elsewhere(platform: Platform, other_platform: Platform) -> None:
    _event, present, _absent = validated(platform)
    elsewhere = client_of(Role.COORDINATOR, other_platform)
    assert elsewhere.get(certificate_url(present)).status_code == 200
