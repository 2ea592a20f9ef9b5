"""Every write of the deployment workflow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pairs.accounts.models import User
from pairs.journal import services as journal
from pairs.notifications.services import email_queue
from pairs.partners.models import Organisation, Team
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role

from .. import ranking, workflow
from ..models import Deployment, Kind, Prerequisite, PrerequisiteTemplate, State, Transition
from . import followup

DEFAULT_PREREQUISITES = [
    gettext_lazy("L'équipe est associée au projet et en a discuté"),
    gettext_lazy("La direction et l'encadrement soutiennent le projet"),
    gettext_lazy("L'équipe connaît l'orientation rétablissement"),
    gettext_lazy("Un référent est désigné dans l'équipe"),
    gettext_lazy("Les conditions matérielles d'accueil sont prévues (bureau, accès, planning)"),
]


@transaction.atomic
def prerequisite_templates_seed(*, platform: Platform) -> None:
    if not PrerequisiteTemplate.objects.filter(platform=platform).exists():
        PrerequisiteTemplate.objects.bulk_create(
            PrerequisiteTemplate(platform=platform, position=i, label=str(label), required=True)
            for i, label in enumerate(DEFAULT_PREREQUISITES, start=1)
        )


@transaction.atomic
def request_file(
    *,
    request: HttpRequest | None,
    platform: Platform,
    filed_by: User,
    organisation: Organisation,
    team: Team | None,
    kind: Kind,
    expected_hours: Decimal,
    rhythm: str,
    start_date: date,
    end_date: date | None,
    needs: str,
    requested_slots: Sequence[str] = (),
) -> Deployment:
    """A partner (or a coordinator on their behalf) files a request. ``requested_slots`` are the
    half-days wished for, as "weekday:part" ("1:morning" is Tuesday morning)."""
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Choisissez un type de demande de la liste."))
    if organisation.platform_id != platform.pk:
        errors.setdefault("organisation", []).append(_("Ce partenaire n'existe pas sur la plateforme."))
    if team is not None and team.organisation_id != organisation.pk:
        errors.setdefault("team", []).append(_("Ce service n'appartient pas à ce partenaire."))
    if expected_hours < 0:
        errors.setdefault("expected_hours", []).append(_("Le nombre d'heures ne peut pas être négatif."))
    if end_date is not None and end_date < start_date:
        errors.setdefault("end_date", []).append(_("La date de fin doit suivre la date de début."))
    if not needs.strip():
        errors.setdefault("needs", []).append(_("Décrivez le besoin en quelques mots."))
    slots = ranking.parse_slots(requested_slots)
    if len(slots) != len(set(requested_slots)):
        errors.setdefault("requested_slots", []).append(_("Choisissez des demi-journées de la semaine."))
    if errors:
        raise ValidationError(errors)
    deployment = Deployment.objects.create(
        platform=platform,
        organisation=organisation,
        team=team,
        kind=kind,
        expected_hours=expected_hours,
        rhythm=rhythm.strip(),
        start_date=start_date,
        end_date=end_date,
        needs=needs.strip(),
        requested_slots=[ranking.slot_value(slot) for slot in slots],
        filed_by=filed_by,
    )
    prerequisite_templates_seed(platform=platform)
    Prerequisite.objects.bulk_create(
        Prerequisite(deployment=deployment, position=t.position, label=t.label, required=t.required)
        for t in PrerequisiteTemplate.objects.filter(platform=platform)
    )
    journal.log_create(request=request, obj=deployment, fields=["kind", "organisation", "needs"], platform=platform)
    _notify_coordinators(deployment, filed_by)
    return deployment


def _notify_coordinators(deployment: Deployment, filed_by: User) -> None:
    """Tell the platform's coordinators a request arrived (no free text of the request in the e-mail)."""
    coordinators = (
        Membership.objects.filter(platform_id=deployment.platform_id, role=Role.COORDINATOR)
        .active()
        .exclude(user=filed_by)
        .select_related("user")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("deployments:detail", kwargs={"deployment_id": deployment.pk})
    for membership in coordinators:
        email_queue(
            to=membership.user.email,
            kind="deployment_request_filed",
            template="deployments/emails/request_filed.txt",
            context={
                "name": membership.user.first_name,
                "organisation": deployment.organisation.name,
                "kind": deployment.get_kind_display(),
                "link": link,
            },
            platform=deployment.platform,
        )


@transaction.atomic
def request_acknowledge(*, request: HttpRequest | None, deployment: Deployment, by: User) -> None:
    locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = by
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        deployment.acknowledged_at, deployment.acknowledged_by = locked.acknowledged_at, by
        journal.log_update(request=request, obj=locked, fields=["acknowledged_at"], platform=locked.platform)


def _gate(deployment: Deployment, target: State, target_date: date | None) -> str | None:
    """A French reason why the move is refused, or None."""
    if target == State.ASSIGNMENT:
        missing = [p.label for p in deployment.prerequisites.all() if not p.satisfied]
        if missing:
            return _("Des prérequis obligatoires ne sont ni cochés ni dérogés : %(items)s.") % {
                "items": " ; ".join(missing)
            }
    if target == State.INTEGRATION and not followup.has_current_assignment(deployment):
        return _("Affectez au moins un·e pair aidant·e avant de commencer l'intégration.")
    if target == State.DIRECT_HIRE:
        if not followup.has_complete_assessment(deployment):
            return _("Le passage à l'embauche directe demande un bilan dont chaque critère de réussite est apprécié.")
        if target_date is None:
            return _("Indiquez la date visée pour l'embauche directe.")
        if target_date < timezone.localdate():
            return _("La date visée pour l'embauche directe ne peut pas être passée.")
    return None


@transaction.atomic
def deployment_advance(
    *,
    request: HttpRequest | None,
    deployment: Deployment,
    by: User,
    expected_state: str,
    target: str,
    reason: str,
    target_date: date | None = None,
) -> Transition:
    """Move a deployment one step. Refuses illegal moves, stale screens and unmet gates."""
    locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
    if locked.state != expected_state:
        raise ValidationError(
            _("Ce déploiement a changé entre-temps : il est maintenant à l'étape « %(state)s ». Rechargez la page.")
            % {"state": State(locked.state).label}
        )
    try:
        source, goal = State(locked.state), State(target)
    except ValueError as exc:
        raise ValidationError(_("Cette étape n'existe pas.")) from exc
    if not workflow.is_allowed(source, goal):
        raise ValidationError(
            _("On ne peut pas passer de « %(source)s » à « %(target)s ».")
            % {"source": source.label, "target": goal.label}
        )
    if goal == State.ABANDONED and not reason.strip():
        raise ValidationError(_("Indiquez le motif de l'abandon."))
    refusal = _gate(locked, goal, target_date)
    if refusal:
        raise ValidationError(refusal)
    locked.state = goal
    fields = ["state"]
    if locked.acknowledged_at is None:  # moving a request on takes it into account
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), by
        deployment.acknowledged_at, deployment.acknowledged_by = locked.acknowledged_at, by
        fields += ["acknowledged_at", "acknowledged_by"]
    locked.save(update_fields=[*fields, "updated_at"])
    deployment.state = goal
    step = Transition.objects.create(deployment=locked, from_state=source, to_state=goal, by=by, reason=reason.strip())
    journal.log_update(
        request=request, obj=locked, fields=[f for f in fields if f != "acknowledged_by"], platform=locked.platform
    )
    if goal == State.INTEGRATION:
        followup.reviews_schedule(deployment=locked, start=max(timezone.localdate(), locked.start_date))
    if goal == State.DIRECT_HIRE and target_date is not None:
        followup.transition_plan_create(deployment=locked, target_date=target_date, by=by)
    _notify_partner(locked, goal)
    return step


def _notify_partner(deployment: Deployment, goal: State) -> None:
    """Tell the organisation's partner accounts that their request reached a new step."""
    from pairs.partners.models import Contact

    contacts = (
        Contact.objects.filter(
            platform_id=deployment.platform_id,
            organisation_id=deployment.organisation_id,
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .select_related("membership__user")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse("deployments:detail", kwargs={"deployment_id": deployment.pk})
    for contact in contacts:
        assert contact.membership is not None
        email_queue(
            to=contact.membership.user.email,
            kind="deployment_step_changed",
            template="deployments/emails/step_changed.txt",
            context={
                "name": contact.membership.user.first_name,
                "kind": deployment.get_kind_display(),
                "step": goal.label,
                "link": link,
            },
            platform=deployment.platform,
        )


@transaction.atomic
def prerequisite_set(
    *, request: HttpRequest | None, prerequisite: Prerequisite, by: User, done: bool, override_reason: str = ""
) -> None:
    """Tick or untick an item, or override it with a written reason (coordinators)."""
    locked = Prerequisite.objects.select_for_update().select_related("deployment__platform").get(pk=prerequisite.pk)
    if locked.deployment.state in workflow.FINAL:
        raise ValidationError(_("Ce déploiement est terminé : ses prérequis ne changent plus."))
    if done:
        locked.done_at, locked.done_by = timezone.now(), by
    else:
        locked.done_at, locked.done_by = None, None
    locked.override_reason = override_reason.strip()
    locked.save(update_fields=["done_at", "done_by", "override_reason"])
    prerequisite.done_at, prerequisite.done_by, prerequisite.override_reason = (
        locked.done_at,
        locked.done_by,
        locked.override_reason,
    )
    journal.log_update(
        request=request, obj=locked.deployment, fields=["prerequisites"], platform=locked.deployment.platform
    )


MAX_TEMPLATE_ITEMS = 30
MAX_POSITION = 999


@transaction.atomic
def prerequisite_template_save(
    *,
    request: HttpRequest | None,
    platform: Platform,
    item: PrerequisiteTemplate | None,
    label: str,
    required: bool,
    position: int | None = None,
) -> PrerequisiteTemplate:
    """Add an item to the platform's checklist, or change one. Requests already filed keep their copy."""
    label = label.strip()
    errors: dict[str, list[str]] = {}
    if not label:
        errors.setdefault("label", []).append(_("Écrivez le prérequis en quelques mots."))
    elif len(label) > 200:
        errors.setdefault("label", []).append(_("Un prérequis tient en 200 caractères au plus."))
    if position is not None and not 1 <= position <= MAX_POSITION:
        errors.setdefault("position", []).append(
            _("L'ordre doit être compris entre 1 et %(max)s.") % {"max": MAX_POSITION}
        )
    if item is not None and item.platform_id != platform.pk:
        errors.setdefault("__all__", []).append(_("Ce prérequis n'appartient pas à la plateforme."))
    existing = PrerequisiteTemplate.objects.filter(platform=platform)
    if item is None and existing.count() >= MAX_TEMPLATE_ITEMS:
        errors.setdefault("__all__", []).append(
            _("La liste compte au plus %(max)s prérequis.") % {"max": MAX_TEMPLATE_ITEMS}
        )
    if errors:
        raise ValidationError(errors)
    if position is None:
        position = (existing.aggregate(last=Max("position"))["last"] or 0) + 1
    created = item is None
    if item is None:
        item = PrerequisiteTemplate(platform=platform)
    before = {"label": item.label, "required": item.required, "position": item.position}
    item.label, item.required, item.position = label, required, position
    item.save()
    if created:
        journal.log_create(request=request, obj=item, fields=["label", "required", "position"], platform=platform)
    else:
        changed = journal.changed_fields(before, {"label": label, "required": required, "position": position})
        if changed:
            journal.log_update(request=request, obj=item, fields=changed, platform=platform)
    return item


@transaction.atomic
def prerequisite_template_delete(
    *, request: HttpRequest | None, platform: Platform, item: PrerequisiteTemplate
) -> None:
    """Remove an item from the checklist (requests already filed keep their copy). The list never becomes
    empty: an emptied list would be filled again with the defaults."""
    if item.platform_id != platform.pk:
        raise ValidationError(_("Ce prérequis n'appartient pas à la plateforme."))
    if not PrerequisiteTemplate.objects.filter(platform=platform).exclude(pk=item.pk).exists():
        raise ValidationError(
            _("La liste doit garder au moins un prérequis. Rendez-le facultatif plutôt que de le supprimer.")
        )
    journal.log_delete(request=request, obj=item, platform=platform)
    item.delete()
