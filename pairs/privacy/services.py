"""Writes of retention: the durations a platform chooses, and the anonymisation job.

The job anonymises, it does not delete: counts, meetings, activity hours and impact scores stay,
linked to a record that no longer says who the person was. Its state lives in this app
(``AnonymisedRecord``, ``RetentionWarning``), so a second run does nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Model
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pairs.core.crypto import encrypt
from pairs.events.models import CircleMember, Registration
from pairs.journal import services as journal
from pairs.journal.models import Action
from pairs.notifications.services import email_queue
from pairs.plans.models import CrisisPlan, PlanShare, PlanSignature, PlanStatus, PlanVersion
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.support.models import (
    ChangeRequest,
    Consent,
    GroupRegistration,
    Mediation,
    Note,
    PeerChange,
    Person,
    SupportRequest,
)

from . import selectors
from .models import AnonymisedRecord, PrivacySettings, RetentionWarning
from .retention import (
    CIRCLE_MEMBERS,
    CRISIS_PLANS,
    EVENT_REGISTRATIONS,
    NOTES,
    RULES,
    RULES_BY_KEY,
    SUPPORT_RECORD,
    SUPPORT_REQUEST,
)

# A request must keep a way to reach the person (database constraint): an address that can
# never receive mail (RFC 2606) stands in for the erased ones.
UNREACHABLE_EMAIL = "anonyme@anonyme.invalid"
WARNING_KIND = "privacy_retention_warning"


# ---- Durations chosen by the platform


def settings_errors(months: dict[str, int]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, value in months.items():
        rule = RULES_BY_KEY.get(key)
        if rule is None or not rule.editable:
            errors.setdefault("__all__", []).append(_("Cette durée ne peut pas être modifiée."))
        elif not rule.allows(value):
            errors[key] = [
                _("Choisissez une durée entre %(min)s et %(max)s mois : le cadre légal ne permet pas %(value)s mois.")
                % {"min": rule.min_months, "max": rule.max_months, "value": value}
            ]
    return errors


@transaction.atomic
def settings_save(*, request: HttpRequest | None, platform: Platform, months: dict[str, int]) -> PrivacySettings:
    """Record the durations chosen (only those different from the default are stored)."""
    errors = settings_errors(months)
    if errors:
        raise ValidationError(errors)
    current, _created = PrivacySettings.objects.select_for_update().get_or_create(platform=platform)
    overrides = dict(current.overrides)
    for key, value in months.items():
        if value == RULES_BY_KEY[key].default_months:
            overrides.pop(key, None)
        else:
            overrides[key] = value
    changed = sorted(
        key for key in set(overrides) | set(current.overrides) if overrides.get(key) != current.overrides.get(key)
    )
    if changed:
        current.overrides = overrides
        current.save(update_fields=["overrides", "updated_at"])
        journal.log_update(request=request, obj=current, fields=changed, platform=platform)
    return current


# ---- Anonymisation


@dataclass
class Report:
    platform: Platform
    dry_run: bool
    counts: dict[str, int] = field(default_factory=lambda: {rule.key: 0 for rule in RULES})
    warned: int = 0  # records announced to the coordinators by this run
    emails: int = 0

    @property
    def total(self) -> int:
        """Records anonymised (notes and plans are parts of a person's record, not counted again)."""
        return sum(count for key, count in self.counts.items() if key not in (NOTES, CRISIS_PLANS))


def _mark(platform: Platform, rule: str, obj: Model, now: datetime, number: int | None = None) -> None:
    AnonymisedRecord.objects.create(
        platform=platform,
        rule=rule,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        number=number,
        anonymised_at=now,
    )


def _log(platform: Platform, obj: Model, fields: Iterable[str]) -> None:
    journal.record(
        action=Action.UPDATE, obj=obj, fields=fields, platform=platform, detail="anonymisation", actor_role=""
    )


def _next_number(platform: Platform) -> int:
    last = AnonymisedRecord.objects.filter(platform=platform, object_type=selectors.PERSON_TYPE).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def _anonymise_person(platform: Platform, person: Person, now: datetime) -> tuple[bool, bool]:
    """Returns whether notes and plan contents were destroyed (for the counts per rule)."""
    number = _next_number(platform)
    person.pseudonym = _("Personne anonymisée n° %(number)s") % {"number": number}
    person.phone = ""
    person.email = ""
    person.contact_times = ""
    person.closure_comment = ""
    person.feedback_comment = ""
    person.membership = None
    fields = ["pseudonym", "phone", "email", "contact_times", "closure_comment", "feedback_comment", "membership"]
    person.save(update_fields=[*fields, "updated_at"])

    notes = Note.objects.filter(person=person).update(body_encrypted=encrypt(""))
    plans = CrisisPlan.objects.filter(person=person)
    had_plans = plans.exists()
    if had_plans:
        PlanVersion.objects.filter(plan__person=person).update(content_encrypted=b"", place="")
        PlanSignature.objects.filter(version__plan__person=person).update(name="")
        PlanShare.objects.filter(plan__person=person).update(
            revoked_at=Coalesce(F("revoked_at"), now), name="", role="", service="", email="", code_hash=""
        )
        plans.update(status=PlanStatus.REVOKED, revoked_at=Coalesce(F("revoked_at"), now), shared_with_team=False)
    Mediation.objects.filter(person=person).update(professional="", purpose="", outcome="")
    Consent.objects.filter(person=person).update(professional="")
    PeerChange.objects.filter(person=person).update(reason="")
    ChangeRequest.objects.filter(person=person).update(message="")
    GroupRegistration.objects.filter(person=person).update(pseudonym="", phone="", email="")
    SupportRequest.objects.filter(person=person).update(
        pseudonym=person.pseudonym,
        phone="",
        email=UNREACHABLE_EMAIL,
        contact_times="",
        looking_for="",
        commune_name="",
    )
    _mark(platform, SUPPORT_RECORD, person, now, number)
    _log(platform, person, fields)
    return notes > 0, had_plans


def _anonymise_request(platform: Platform, support_request: SupportRequest, now: datetime) -> None:
    support_request.pseudonym = _("Demande anonymisée")
    support_request.phone = ""
    support_request.email = UNREACHABLE_EMAIL
    support_request.contact_times = ""
    support_request.looking_for = ""
    support_request.commune_name = ""
    fields = ["pseudonym", "phone", "email", "contact_times", "looking_for", "commune_name"]
    support_request.save(update_fields=[*fields, "updated_at"])
    _mark(platform, SUPPORT_REQUEST, support_request, now)
    _log(platform, support_request, fields)


def _anonymise_registration(platform: Platform, registration: Registration, now: datetime) -> None:
    registration.name = _("Participant·e")
    registration.email = ""
    registration.save(update_fields=["name", "email"])
    _mark(platform, EVENT_REGISTRATIONS, registration, now)
    _log(platform, registration, ["name", "email"])


def _anonymise_circle_member(platform: Platform, member: CircleMember, now: datetime) -> None:
    member.first_name = _("Ancien·ne membre")
    member.last_name = ""
    member.email = ""
    member.phone = ""
    member.employer = ""
    fields = ["first_name", "last_name", "email", "phone", "employer"]
    member.save(update_fields=fields)
    _mark(platform, CIRCLE_MEMBERS, member, now)
    _log(platform, member, fields)


@transaction.atomic
def anonymise_due(*, platform: Platform, today: date, dry_run: bool = True) -> Report:
    """Anonymise the platform's records past their retention, and warn the coordinators of the
    support records ending within 30 days (once per record and end date). With ``dry_run``, only
    count: nothing is written, nobody is e-mailed. Run outside any request scope."""
    report = Report(platform=platform, dry_run=dry_run)
    months = selectors.months_of(platform)
    now = timezone.now()
    people = selectors.people_due(platform, today=today, months=months[SUPPORT_RECORD])
    requests = selectors.requests_due(platform, today=today, months=months[SUPPORT_REQUEST])
    registrations = selectors.registrations_due(platform, today=today, months=months[EVENT_REGISTRATIONS])
    members = selectors.circle_members_due(platform, today=today, months=months[CIRCLE_MEMBERS])
    if dry_run:
        report.counts[SUPPORT_RECORD] = people.count()
        report.counts[NOTES] = people.filter(notes__isnull=False).distinct().count()
        report.counts[CRISIS_PLANS] = people.filter(crisis_plans__isnull=False).distinct().count()
        report.counts[SUPPORT_REQUEST] = requests.count()
        report.counts[EVENT_REGISTRATIONS] = registrations.count()
        report.counts[CIRCLE_MEMBERS] = members.count()
        report.warned = len(_to_warn(platform, today=today, months=months[SUPPORT_RECORD]))
        return report
    with translation.override(settings.LANGUAGE_CODE):
        for person in people.select_for_update(of=("self",)):
            had_notes, had_plans = _anonymise_person(platform, person, now)
            report.counts[SUPPORT_RECORD] += 1
            report.counts[NOTES] += int(had_notes)
            report.counts[CRISIS_PLANS] += int(had_plans)
        for support_request in requests.select_for_update(of=("self",)):
            _anonymise_request(platform, support_request, now)
            report.counts[SUPPORT_REQUEST] += 1
        for registration in registrations.select_for_update(of=("self",)):
            _anonymise_registration(platform, registration, now)
            report.counts[EVENT_REGISTRATIONS] += 1
        for member in members.select_for_update(of=("self",)):
            _anonymise_circle_member(platform, member, now)
            report.counts[CIRCLE_MEMBERS] += 1
        report.warned, report.emails = _warn(platform, today=today, months=months[SUPPORT_RECORD], now=now)
    return report


def _to_warn(platform: Platform, *, today: date, months: int) -> list[tuple[int, date]]:
    """(person id, last day kept) of the records ending soon whose coordinators were not told yet."""
    rows = [
        (row["pk"], selectors.end_of(row["last_contact"], months))
        for row in selectors.people_ending_soon(platform, today=today, months=months).values("pk", "last_contact")
    ]
    told = set(
        RetentionWarning.objects.filter(
            object_type=selectors.PERSON_TYPE, object_id__in=[pk for pk, _end in rows]
        ).values_list("object_id", "due_on")
    )
    return [(pk, end) for pk, end in rows if (pk, end) not in told]


def _warn(platform: Platform, *, today: date, months: int, now: datetime) -> tuple[int, int]:
    pending = _to_warn(platform, today=today, months=months)
    if not pending:
        return 0, 0
    RetentionWarning.objects.bulk_create(
        [
            RetentionWarning(
                platform=platform,
                rule=SUPPORT_RECORD,
                object_type=selectors.PERSON_TYPE,
                object_id=pk,
                due_on=end,
                warned_at=now,
            )
            for pk, end in pending
        ]
    )
    coordinators = (
        Membership.objects.filter(platform=platform, role=Role.COORDINATOR)
        .active()
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("privacy:upcoming")
    emails = 0
    for membership in coordinators:
        email_queue(
            to=membership.user.email,
            kind=WARNING_KIND,
            template="privacy/emails/retention_warning.txt",
            context={
                "name": membership.user.first_name,
                "platform_name": platform.name,
                "count": len(pending),
                "link": link,
            },
            platform=platform,
        )
        emails += 1
    return len(pending), emails
