"""Reads of retention: the durations a platform chose, and the records at or near their end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import DateField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest, TruncDate

from pairs.events.models import CircleMember, Registration
from pairs.platforms.models import Platform
from pairs.support.models import Meeting, Note, Person, RequestStatus, SupportRequest

from .models import AnonymisedRecord, PrivacySettings
from .retention import RULES, SUPPORT_RECORD, WARNING_DAYS, RetentionRule, shift_months

PERSON_TYPE = "support.person"
REQUEST_TYPE = "support.supportrequest"
REGISTRATION_TYPE = "events.registration"
CIRCLE_MEMBER_TYPE = "events.circlemember"


@dataclass(frozen=True)
class RuleRow:
    rule: RetentionRule
    months: int
    chosen: bool  # the platform chose another duration than the default


def months_of(platform: Platform) -> dict[str, int]:
    """The duration in force for each rule on the platform (one query)."""
    overrides = PrivacySettings.objects.filter(platform=platform).values_list("overrides", flat=True).first() or {}
    months: dict[str, int] = {}
    for rule in RULES:
        value = overrides.get(rule.key)
        months[rule.key] = value if isinstance(value, int) and rule.allows(value) else rule.default_months
    return months


def rule_rows(platform: Platform) -> list[RuleRow]:
    months = months_of(platform)
    return [
        RuleRow(rule=rule, months=months[rule.key], chosen=months[rule.key] != rule.default_months) for rule in RULES
    ]


def _anonymised(object_type: str) -> Exists:
    return Exists(AnonymisedRecord.objects.filter(object_type=object_type, object_id=OuterRef("pk")))


def people_with_last_contact(platform: Platform) -> QuerySet[Any]:
    """The platform's person records not yet anonymised, with ``last_contact``: the latest of the
    opening, the closure, the last meeting and the last note."""
    last_meeting = (
        Meeting.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(last=Max(TruncDate("starts_at")))
        .values("last")
    )
    last_note = (
        Note.objects.filter(person=OuterRef("pk"))
        .values("person")
        .annotate(last=Max(TruncDate("created_at")))
        .values("last")
    )
    return (
        Person.objects.filter(platform=platform)
        .exclude(_anonymised(PERSON_TYPE))
        .annotate(
            last_contact=Greatest(
                F("opened_on"),
                F("closed_on"),
                Subquery(last_meeting, output_field=DateField()),
                Subquery(last_note, output_field=DateField()),
                output_field=DateField(),
            )
        )
    )


def people_due(platform: Platform, *, today: date, months: int) -> QuerySet[Any]:
    """Records whose last contact is more than ``months`` ago."""
    return people_with_last_contact(platform).filter(last_contact__lt=shift_months(today, -months)).order_by("pk")


def people_ending_soon(platform: Platform, *, today: date, months: int) -> QuerySet[Any]:
    """Records still kept whose end comes within the warning period."""
    return (
        people_with_last_contact(platform)
        .filter(
            last_contact__gte=shift_months(today, -months),
            last_contact__lte=shift_months(today + timedelta(days=WARNING_DAYS), -months),
        )
        .order_by("last_contact", "pk")
    )


def end_of(last_contact: date, months: int) -> date:
    """The last day a record is kept."""
    return shift_months(last_contact, months)


def requests_due(platform: Platform, *, today: date, months: int) -> QuerySet[SupportRequest]:
    """Requests never followed (no person record) received more than ``months`` ago."""
    return (
        SupportRequest.objects.filter(
            platform=platform,
            person__isnull=True,
            status__in=[RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.REDIRECTED],
            created_at__date__lt=shift_months(today, -months),
        )
        .exclude(_anonymised(REQUEST_TYPE))
        .order_by("pk")
    )


def registrations_due(platform: Platform, *, today: date, months: int) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(platform=platform, event__ends_at__date__lt=shift_months(today, -months))
        .exclude(_anonymised(REGISTRATION_TYPE))
        .order_by("pk")
    )


def circle_members_due(platform: Platform, *, today: date, months: int) -> QuerySet[CircleMember]:
    return (
        CircleMember.objects.filter(
            platform=platform, active=False, left_at__isnull=False, left_at__date__lt=shift_months(today, -months)
        )
        .exclude(_anonymised(CIRCLE_MEMBER_TYPE))
        .order_by("pk")
    )


@dataclass(frozen=True)
class Upcoming:
    person_id: int
    pseudonym: str
    last_contact: date
    ends_on: date


def upcoming_ends(platform: Platform, *, today: date) -> list[Upcoming]:
    """The person records reaching their end within the warning period, for the coordinators' list."""
    months = months_of(platform)[SUPPORT_RECORD]
    return [
        Upcoming(
            person_id=row["pk"],
            pseudonym=row["pseudonym"],
            last_contact=row["last_contact"],
            ends_on=end_of(row["last_contact"], months),
        )
        for row in people_ending_soon(platform, today=today, months=months).values("pk", "pseudonym", "last_contact")
    ]
