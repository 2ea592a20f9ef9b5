"""The platform's catalogues of the pool, seeded with the defaults from the source documents."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pairs.platforms.models import Platform

from ..models import ActivityType, OnboardingStepTemplate, Skill

DEFAULT_ACTIVITY_TYPES = [
    ("individual_support", _("Accompagnement individuel"), False),
    ("group", _("Groupe"), False),
    ("hospital_visit", _("Visite à l'hôpital"), True),
    ("discharge_support", _("Accompagnement à la sortie d'hospitalisation"), True),
    ("family_support", _("Soutien aux familles et proches"), False),
    ("professional_support", _("Soutien aux professionnel·les"), False),
    ("psychoeducation", _("Psychoéducation"), False),
    ("workshop", _("Atelier"), False),
    ("training_given", _("Formation donnée"), False),
    ("sensitisation", _("Sensibilisation"), False),
    ("mediation", _("Médiation"), False),
    ("meeting", _("Réunion"), False),
    ("supervision", _("Supervision ou intervision"), False),
    ("travel", _("Déplacement"), False),
    ("recovery_tools", _("Outils de rétablissement (plan de crise, directives anticipées)"), False),
]

DEFAULT_SKILLS = [
    _("Écoute"),
    _("Animation de groupe"),
    _("Directives anticipées"),
    _("Psychoéducation"),
    _("Parentalité"),
    _("Addictions"),
    _("Emploi"),
    _("Pair-aidance familiale"),
]

DEFAULT_ONBOARDING = [
    (OnboardingStepTemplate.Kind.INTERVIEW, _("Entretien d'accueil avec la coordination"), 7),
    (OnboardingStepTemplate.Kind.INTERVIEW, _("Rencontre avec le tuteur ou la tutrice"), 7),
    (OnboardingStepTemplate.Kind.TRAINING, _("Formation : rôle et posture du pair aidant"), 30),
    (OnboardingStepTemplate.Kind.SHADOWING, _("Immersion sur un site partenaire"), 45),
    (OnboardingStepTemplate.Kind.TOOLS, _("Formation aux directives anticipées et au plan de crise"), 60),
    (OnboardingStepTemplate.Kind.INTERVIEW, _("Bilan de fin de parcours"), 90),
]


@transaction.atomic
def catalogues_seed(*, platform: Platform) -> None:
    """Give a platform the default catalogues (idempotent; existing entries are kept)."""
    for position, (code, label, crisis) in enumerate(DEFAULT_ACTIVITY_TYPES, start=1):
        ActivityType.objects.get_or_create(
            platform=platform,
            code=code,
            defaults={"label": str(label), "crisis_related": crisis, "position": position},
        )
    for name in DEFAULT_SKILLS:
        Skill.objects.get_or_create(platform=platform, name=str(name))
    if not OnboardingStepTemplate.objects.filter(platform=platform).exists():
        OnboardingStepTemplate.objects.bulk_create(
            OnboardingStepTemplate(platform=platform, position=i, kind=kind, title=str(title), due_after_days=days)
            for i, (kind, title, days) in enumerate(DEFAULT_ONBOARDING, start=1)
        )
