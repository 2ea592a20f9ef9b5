"""Every write of the writing side of crisis plans: opening a plan, saving one section of the draft,
finalising a frozen numbered version and confirming it, sharing with the platform team,
facilitation sessions (which feed the activity log), crises, the platform's settings and the
review reminders. The journal only ever receives field or section names, never what was written."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pairs.accounts.models import User
from pairs.deployments.models import Deployment
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.peers.models import ActivityType, PeerProfile
from pairs.peers.services.activity import activity_log
from pairs.peers.services.catalogues import DEFAULT_ACTIVITY_TYPES
from pairs.platforms.models import Platform
from pairs.support.models import ConsentKind, Person, PersonStatus
from pairs.territory.models import Commune

from .. import sections
from ..models import (
    CrisisEvent,
    CrisisPlan,
    FacilitationSession,
    PlanSettings,
    PlanSignature,
    PlanStatus,
    PlanVersion,
    SignatureRole,
)

RECOVERY_TOOLS = "recovery_tools"
SESSION_MIN, SESSION_MAX = 5, 480
REVIEW_MONTHS_MAX, SHARE_DAYS_MAX = 36, 730


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _settings(platform_id: int) -> PlanSettings:
    return PlanSettings.objects.filter(platform_id=platform_id).first() or PlanSettings(platform_id=platform_id)


def _lock(plan: CrisisPlan) -> CrisisPlan:
    """The plan's row, locked until the end of the transaction: writes of one plan queue up."""
    return CrisisPlan.objects.select_for_update().get(pk=plan.pk)


def _refuse_revoked(plan: CrisisPlan) -> None:
    if plan.revoked_at is not None or plan.status == PlanStatus.REVOKED:
        raise ValidationError({"__all__": [_("Ce plan est révoqué : il ne peut plus être modifié.")]})


# ---- Opening a plan


@transaction.atomic
def plan_start(
    *,
    request: HttpRequest | None,
    person: Person,
    facilitator: PeerProfile | None,
    deployment: Deployment | None = None,
) -> tuple[CrisisPlan, bool]:
    """Open the person's plan with an empty draft. A person has one plan: when one exists and is not
    revoked, it is returned as is (``created`` False). The facilitator is the peer worker opening
    it, else the person's referent."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    existing = (
        CrisisPlan.objects.filter(person=locked, revoked_at__isnull=True)
        .exclude(status=PlanStatus.REVOKED)
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing, False
    errors: dict[str, list[str]] = {}
    if locked.status == PersonStatus.CLOSED:
        errors["__all__"] = [_("L'accompagnement de cette personne est clos : on ne peut plus ouvrir de plan.")]
    if deployment is not None and deployment.platform_id != locked.platform_id:
        errors["deployment"] = [_("Choisissez un déploiement de la plateforme.")]
    if facilitator is not None and facilitator.platform_id != locked.platform_id:
        errors["__all__"] = [_("Ce ou cette pair aidant·e n'est pas sur la plateforme.")]
    if errors:
        raise ValidationError(errors)
    plan = CrisisPlan.objects.create(
        platform_id=locked.platform_id,
        person=locked,
        deployment=deployment,
        facilitator=facilitator if facilitator is not None else locked.peer,
        status=PlanStatus.DRAFT,
    )
    PlanVersion.objects.create(plan=plan, content_encrypted=sections.encode(sections.empty_content()))
    fields = ["person", "status", "facilitator"] + (["deployment"] if deployment is not None else [])
    journal.log_create(request=request, obj=plan, fields=fields, platform=plan.platform)
    return plan, True


# ---- Writing: one section at a time


def _latest_finalised(plan: CrisisPlan) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan=plan, number__isnull=False).order_by("-number").first()


def _draft_for_writing(plan: CrisisPlan) -> PlanVersion:
    """The plan's draft, locked; after a finalisation, a new draft copied from the latest frozen
    version (which itself never changes)."""
    draft = PlanVersion.objects.select_for_update().filter(plan=plan, number__isnull=True).first()
    if draft is not None:
        return draft
    latest = _latest_finalised(plan)
    content = sections.decode(latest.content_encrypted) if latest is not None else sections.empty_content()
    return PlanVersion.objects.create(plan=plan, content_encrypted=sections.encode(content))


@transaction.atomic
def section_save(
    *, request: HttpRequest | None, plan: CrisisPlan, section: sections.Section, data: dict[str, Any]
) -> tuple[PlanVersion, bool]:
    """Merge one cleaned section into the draft and keep every other section as it is. Saves of
    different sections of the same plan run one after the other (the plan and the draft are
    locked), so none overwrites another. Returns the draft and whether anything changed."""
    locked = _lock(plan)
    _refuse_revoked(locked)
    draft = _draft_for_writing(locked)
    content = sections.decode(draft.content_encrypted)
    cleaned = sections.clean_section(section, data)
    if content.get(section.key, {}) == cleaned:
        return draft, False
    if cleaned:
        content[section.key] = cleaned
    else:
        content.pop(section.key, None)
    draft.content_encrypted = sections.encode(content)
    draft.save(update_fields=["content_encrypted", "saved_at"])
    locked.save(update_fields=["updated_at"])
    journal.log_update(request=request, obj=locked, fields=[section.key], platform=locked.platform)
    return draft, True


# ---- Finalising and confirming


def signature_role(*, is_owner: bool) -> str:
    return SignatureRole.PERSON if is_owner else SignatureRole.PEER_WORKER


@transaction.atomic
def plan_finalise(
    *, request: HttpRequest | None, plan: CrisisPlan, user: User, place: str, is_owner: bool, name: str
) -> PlanVersion:
    """Freeze the draft as the next numbered version, confirmed by the signed-in user, and propose a
    review after the platform's delay (12 months by default). The draft is removed: the next edit
    starts a new one from this version."""
    locked = _lock(plan)
    _refuse_revoked(locked)
    place = " ".join(place.split())[:100]
    draft = PlanVersion.objects.select_for_update().filter(plan=locked, number__isnull=True).first()
    latest = _latest_finalised(locked)
    content = sections.decode(draft.content_encrypted) if draft is not None else {}
    errors: dict[str, list[str]] = {}
    if draft is None:
        errors["__all__"] = [_("Il n'y a rien de nouveau à finaliser : modifiez d'abord le plan.")]
    elif not any(sections.is_filled(content, section) for section in sections.SECTIONS):
        errors["__all__"] = [_("Le plan est vide : remplissez au moins une partie avant de le finaliser.")]
    elif latest is not None and sections.decode(latest.content_encrypted) == content:
        errors["__all__"] = [
            _("Rien n'a changé depuis la version %(number)s : il n'y a pas de nouvelle version à finaliser.")
            % {"number": latest.number}
        ]
    if not place:
        errors["place"] = [_("Indiquez où le document est fait : une ville suffit.")]
    if errors:
        raise ValidationError(errors)
    assert draft is not None
    now = timezone.now()
    version = PlanVersion.objects.create(
        plan=locked,
        number=(latest.number or 0) + 1 if latest is not None else 1,
        content_encrypted=sections.encode(content),
        finalised_at=now,
        finalised_by=user,
        place=place,
    )
    signature = PlanSignature.objects.create(
        version=version, role=signature_role(is_owner=is_owner), name=name[:150], user=user, confirmed_at=now
    )
    journal.log_delete(request=request, obj=draft, platform=locked.platform)
    draft.delete()
    if locked.status != PlanStatus.SHARED:
        locked.status = PlanStatus.FINALISED
    months = _settings(locked.platform_id).review_months
    locked.review_due_on = add_months(timezone.localdate(), months)
    locked.save(update_fields=["status", "review_due_on", "updated_at"])
    journal.log_create(
        request=request,
        obj=version,
        fields=["number", "finalised_at", "finalised_by", "place"],
        platform=locked.platform,
    )
    journal.log_create(
        request=request, obj=signature, fields=["role", "name", "confirmed_at"], platform=locked.platform
    )
    journal.log_update(request=request, obj=locked, fields=["status", "review_due_on"], platform=locked.platform)
    return version


@transaction.atomic
def version_confirm(
    *, request: HttpRequest | None, version: PlanVersion, user: User, is_owner: bool, name: str
) -> PlanSignature:
    """The other party confirms a frozen version later: one more signature, once per user, on the
    plan's latest version only."""
    locked = _lock(version.plan)
    _refuse_revoked(locked)
    latest = _latest_finalised(locked)
    if version.number is None or latest is None or latest.pk != version.pk:
        raise ValidationError({"__all__": [_("Seule la dernière version du plan peut encore être confirmée.")]})
    if PlanSignature.objects.filter(version=version, user=user).exists():
        raise ValidationError({"__all__": [_("Vous avez déjà confirmé cette version.")]})
    signature = PlanSignature.objects.create(
        version=version, role=signature_role(is_owner=is_owner), name=name[:150], user=user, confirmed_at=timezone.now()
    )
    journal.log_create(
        request=request, obj=signature, fields=["role", "name", "confirmed_at"], platform=locked.platform
    )
    return signature


# ---- Sharing with the platform team


@transaction.atomic
def team_share_set(*, request: HttpRequest | None, plan: CrisisPlan, shared: bool) -> bool:
    """The person lets the platform's coordinators read their finalised versions, or stops it.
    Returns whether anything changed."""
    locked = _lock(plan)
    if shared:
        _refuse_revoked(locked)
    if locked.shared_with_team == shared:
        return False
    locked.shared_with_team = shared
    locked.save(update_fields=["shared_with_team", "updated_at"])
    plan.shared_with_team = shared
    journal.log_update(request=request, obj=locked, fields=["shared_with_team"], platform=locked.platform)
    return True


# ---- Facilitation sessions and crises


def recovery_activity_type(platform: Platform) -> ActivityType:
    """The platform's "recovery tools" activity type (added for platforms created before it)."""
    found = ActivityType.objects.filter(platform=platform, code=RECOVERY_TOOLS).first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):  # stored in the site's language, like the catalogue
        label, crisis = next(
            (str(lbl), crisis) for code, lbl, crisis in DEFAULT_ACTIVITY_TYPES if code == RECOVERY_TOOLS
        )
    last = ActivityType.objects.filter(platform=platform).order_by("-position").values_list("position", flat=True)
    found, _created = ActivityType.objects.get_or_create(
        platform=platform,
        code=RECOVERY_TOOLS,
        defaults={"label": label, "crisis_related": crisis, "position": (last.first() or 0) + 1},
    )
    return found


ACTIVITY_FIELDS = {"day": "held_on", "duration_minutes": "duration_minutes", "commune": "commune"}


@transaction.atomic
def session_add(
    *,
    request: HttpRequest | None,
    plan: CrisisPlan,
    peer: PeerProfile,
    held_on: date,
    duration_minutes: int,
    remote: bool,
    commune: Commune | None = None,
) -> FacilitationSession:
    """Record a sitting where the peer worker helped write the plan, and log it in the worker's
    activity ("recovery tools"), remote unless a commune is given."""
    locked = _lock(plan)
    if not SESSION_MIN <= duration_minutes <= SESSION_MAX:
        raise ValidationError({"duration_minutes": [_("Indiquez une durée entre 5 minutes et 8 heures.")]})
    if peer.platform_id != locked.platform_id:
        raise ValidationError({"__all__": [_("Ce ou cette pair aidant·e n'est pas sur la plateforme.")]})
    remote = remote or commune is None
    try:
        entry = activity_log(
            request=request,
            profile=peer,
            day=held_on,
            duration_minutes=duration_minutes,
            activity_type=recovery_activity_type(locked.platform),
            commune=None if remote else commune,
            remote=remote,
        )
    except ValidationError as error:
        mapped: dict[str, list[str]] = {}
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            mapped.setdefault(ACTIVITY_FIELDS.get(field, "__all__"), []).extend(messages)
        raise ValidationError(mapped) from error
    session = FacilitationSession.objects.create(
        plan=locked, peer=peer, held_on=held_on, duration_minutes=duration_minutes, activity_entry=entry
    )
    journal.log_create(
        request=request,
        obj=session,
        fields=["peer", "held_on", "duration_minutes", "activity_entry"],
        platform=locked.platform,
    )
    return session


@transaction.atomic
def crisis_add(
    *, request: HttpRequest | None, plan: CrisisPlan, occurred_on: date, plan_used: bool, by: User
) -> CrisisEvent:
    """Record a crisis; a review of the plan is proposed from today."""
    locked = _lock(plan)
    _refuse_revoked(locked)
    today = timezone.localdate()
    if occurred_on > today:
        raise ValidationError({"occurred_on": [_("Cette date est dans le futur : on ne note que ce qui a eu lieu.")]})
    event = CrisisEvent.objects.create(plan=locked, occurred_on=occurred_on, plan_used=plan_used, recorded_by=by)
    locked.review_due_on = today
    locked.save(update_fields=["review_due_on", "updated_at"])
    plan.review_due_on = today
    journal.log_create(request=request, obj=event, fields=["occurred_on", "plan_used"], platform=locked.platform)
    journal.log_update(request=request, obj=locked, fields=["review_due_on"], platform=locked.platform)
    return event


# ---- Settings


@transaction.atomic
def plan_settings_save(
    *, request: HttpRequest | None, platform: Platform, review_months: int, share_days: int
) -> PlanSettings:
    errors: dict[str, list[str]] = {}
    if not 1 <= review_months <= REVIEW_MONTHS_MAX:
        errors["review_months"] = [_("Indiquez un nombre de mois entre 1 et 36.")]
    if not 1 <= share_days <= SHARE_DAYS_MAX:
        errors["share_days"] = [_("Indiquez un nombre de jours entre 1 et 730.")]
    if errors:
        raise ValidationError(errors)
    values = {"review_months": review_months, "share_days": share_days}
    found = PlanSettings.objects.select_for_update().filter(platform=platform).first()
    if found is None:
        found = PlanSettings.objects.create(platform=platform, **values)
        journal.log_create(request=request, obj=found, fields=list(values), platform=platform)
        return found
    changed = journal.changed_fields({name: getattr(found, name) for name in values}, values)
    if changed:
        for name in changed:
            setattr(found, name, values[name])
        found.save(update_fields=changed)
        journal.log_update(request=request, obj=found, fields=changed, platform=platform)
    return found


# ---- Review reminders


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def plan_review_reminders_send(*, today: date) -> int:
    """E-mail a reminder when a plan's review is due (after the delay following its finalisation,
    or after a crisis): to the facilitating peer worker and the person's referent if different
    (while the person is followed), and to the person when they consented to e-mail contact and
    gave an address. The e-mail holds a first name, a date and a link, never the plan. Each due
    review is reminded once. Run by a job, outside any request scope."""
    plans = list(
        CrisisPlan.objects.filter(review_due_on__lte=today, revoked_at__isnull=True, platform__is_active=True)
        .exclude(status=PlanStatus.REVOKED)
        .filter(Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lt=F("review_due_on")))
        .select_related("person", "platform", "facilitator__membership__user", "person__peer__membership__user")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )
    if not plans:
        return 0
    consented = set(
        Person.objects.filter(
            pk__in={plan.person_id for plan in plans},
            consents__kind=ConsentKind.CONTACT_EMAIL,
            consents__withdrawn_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    for plan in plans:
        _remind(plan, to_person=plan.person_id in consented)
        plan.review_reminded_on = today
        plan.save(update_fields=["review_reminded_on"])
    return len(plans)


def _remind(plan: CrisisPlan, *, to_person: bool) -> None:
    template = "plans/emails/review_reminder.txt"
    due = plan.review_due_on
    person = plan.person
    if person.status == PersonStatus.OPEN:
        seen: set[int] = set()
        for peer in (plan.facilitator, person.peer):
            if peer is None or not peer.membership.is_active:
                continue
            user = peer.membership.user
            if not user.is_active or not user.email or user.pk in seen:
                continue
            seen.add(user.pk)
            email_queue(
                to=user.email,
                kind="plan_review_reminder",
                template=template,
                context={
                    "name": user.first_name,
                    "due": due,
                    "to_person": False,
                    "link": _link(reverse("plans:detail", kwargs={"plan_id": plan.pk})),
                },
                platform=plan.platform,
            )
    if to_person and person.email:
        email_queue(
            to=person.email,
            kind="plan_review_reminder",
            template=template,
            context={"name": "", "due": due, "to_person": True, "link": _link(reverse("plans:mine"))},
            platform=plan.platform,
        )
