"""Demo data of the Observatoire: the five demo instruments (written for this software, not validated)
on each demo platform, imported by its coordinator through the same service as a real import (they are
free, so no permission is recorded); then, on the Rhône platform, campaigns with six partner teams —
two waves in three of them, one perspective below the anonymity threshold, one professionals-only
campaign, one campaign still open — a training's before/after questionnaire, about 400 anonymous
answers, and repeated hope measures for about 60 people. Answers are scored by the engine, exactly as
the anonymous links score them. All fake."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from pairs.accounts.models import User
from pairs.observatory.engine import Definition
from pairs.observatory.models import (
    Campaign,
    CampaignLink,
    ImpactMeasure,
    Instrument,
    MeasureFiller,
    Purpose,
    Response,
)
from pairs.observatory.services.answers import scored
from pairs.observatory.services.instruments import demo_instruments_install
from pairs.partners.models import Contact, Sector, Team
from pairs.platforms.models import Platform
from pairs.platforms.roles import Role
from pairs.support.models import Person, PersonStatus, Relation

if TYPE_CHECKING:
    from .generator import DemoContext

TEAM_INSTRUMENT = "auto-evaluation-equipe-demo"
BELIEFS_INSTRUMENT = "croyances-professionnels-demo"
HOPE_INSTRUMENT = "espoir-demo"
WELLBEING_INSTRUMENT = "bien-etre-court-demo"
PERSPECTIVES = ("professionnels", "personnes", "proches")
DIMENSIONS = ("projets", "participation", "choix", "soutiens", "climat")


def seed_instruments(ctx: DemoContext) -> None:
    from .generator import demo_email

    for slug, platform in ctx.platforms.items():
        coordinator = User.objects.filter(email=demo_email(Role.COORDINATOR, slug)).first()
        demo_instruments_install(request=None, platform=platform, by=coordinator)


# ---- Campaigns


@dataclass(frozen=True)
class Wave:
    """One campaign: answers per perspective (professionals, people, relatives), and how many weeks
    ago it opened and closed (a negative close means it is still open)."""

    counts: tuple[int, int, int]
    opened_weeks_ago: int
    closes_in_weeks: int  # negative: closed that many weeks ago
    shift: float = 0.0  # how much more recovery-oriented the team looks than at T0


# Six teams; the first belongs to the demo partner's organisation.
TEAM_PLANS: tuple[tuple[Wave, ...], ...] = (
    (Wave((25, 20, 10), 40, -34), Wave((24, 19, 9), 9, -5, shift=0.45)),  # two waves, progress
    (Wave((28, 18, 4), 44, -38), Wave((26, 16, 3), 12, -8, shift=0.15)),  # relatives below threshold
    (Wave((26, 18, 10), 30, -26), Wave((12, 6, 2), 1, 3, shift=0.3)),  # second wave open now
    (Wave((30, 0, 0), 20, -16),),  # professionals' version alone
    (Wave((22, 16, 3), 16, -12),),  # relatives below threshold
    (Wave((8, 4, 1), 0, 4),),  # just opened
)

# Latent level of each dimension per perspective: professionals see the team more favourably than the
# people it supports, relatives least; "participation" is the team's weak point.
LEVELS = {
    "professionnels": {"projets": 3.9, "participation": 3.1, "choix": 3.8, "soutiens": 3.4, "climat": 4.1},
    "personnes": {"projets": 3.3, "participation": 2.4, "choix": 3.2, "soutiens": 3.0, "climat": 3.7},
    "proches": {"projets": 3.0, "participation": 2.2, "choix": 3.0, "soutiens": 2.6, "climat": 3.4},
}


def _answer(rng: random.Random, level: float, low: int, high: int, missing: list[str]) -> int | str:
    if missing and rng.random() < 0.05:
        return rng.choice(missing)
    return max(low, min(high, round(rng.gauss(level, 0.85))))


def _responses(
    rng: random.Random, campaign: Campaign, definition: Definition, perspective: str, count: int, shift: float
) -> list[Response]:
    version = definition.respondent_version(perspective)
    scale = definition.scale
    missing = list(scale.missing)
    rows = []
    span = max((min(campaign.closes_on, timezone.localdate()) - campaign.opens_on).days, 0)
    for _index in range(count):
        person_shift = rng.gauss(0, 0.35)
        answers: dict[str, int | str] = {}
        for item in version.items:
            dimension = item.key.split("_")[0]
            level = LEVELS.get(perspective, LEVELS["personnes"]).get(dimension, 3.0) + shift + person_shift
            answers[item.key] = _answer(rng, level, scale.low, scale.high, missing)
        values, scores = scored(definition, perspective, answers)
        rows.append(
            Response(
                platform_id=campaign.platform_id,
                campaign=campaign,
                perspective=perspective,
                answers=answers,
                values=values,
                scores=scores,
                typed_in=perspective != "professionnels" and rng.random() < 0.15,
                submitted_on=campaign.opens_on + timedelta(days=rng.randint(0, span)),
                submission_key=secrets.token_urlsafe(24),
            )
        )
    return rows


def _campaign(
    platform: Platform,
    *,
    title: str,
    team: Team | None,
    instrument: Instrument,
    perspectives: list[str],
    wave: int,
    previous: Campaign | None,
    opens_on: date,
    closes_on: date,
    by: User,
    purpose: str = Purpose.TEAM,
) -> Campaign:
    campaign = Campaign.objects.create(
        platform=platform,
        purpose=purpose,
        team=team,
        title=title,
        instrument=instrument,
        perspectives=perspectives,
        wave=wave,
        previous=previous,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    CampaignLink.objects.bulk_create(
        CampaignLink(platform=platform, campaign=campaign, perspective=p, token=secrets.token_urlsafe(24))
        for p in perspectives
    )
    return campaign


def _teams(platform: Platform, demo_partner: User | None) -> list[Team]:
    """Six teams of care organisations, the demo partner's organisation first when it has a team."""
    care = [Sector.PSYCHIATRIC_HOSPITAL, Sector.MEDICO_SOCIAL, Sector.SOCIAL]
    teams = list(
        Team.objects.filter(platform=platform, organisation__sector__in=care)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    first = None
    if demo_partner is not None:
        contact = Contact.objects.filter(platform=platform, membership__user=demo_partner).first()
        if contact is not None:
            first = next((t for t in teams if t.organisation_id == contact.organisation_id), None)
    chosen: list[Team] = [first] if first else []
    used = {first.organisation_id} if first else set()
    for team in teams:  # one team per organisation
        if len(chosen) == len(TEAM_PLANS):
            break
        if team.organisation_id not in used:
            chosen.append(team)
            used.add(team.organisation_id)
    return chosen


def seed_campaigns(ctx: DemoContext) -> None:
    from .generator import demo_email

    platform = ctx.platforms.get("rhone")
    if platform is None or Campaign.objects.filter(platform=platform).exists():
        return
    rng = random.Random(ctx.seed + 700)
    coordinator = User.objects.get(email=demo_email(Role.COORDINATOR, "rhone"))
    partner = User.objects.filter(email=demo_email(Role.PARTNER_CONTACT, "rhone")).first()
    instruments = {i.code: i for i in Instrument.objects.filter(platform=platform)}
    team_instrument = instruments[TEAM_INSTRUMENT]
    definition = Definition.from_dict(team_instrument.definition)
    today = timezone.localdate()
    rows: list[Response] = []
    for index, (team, plan) in enumerate(zip(_teams(platform, partner), TEAM_PLANS, strict=False)):
        previous: Campaign | None = None
        for wave_number, wave in enumerate(plan):
            perspectives = [p for p, n in zip(PERSPECTIVES, wave.counts, strict=True) if n or wave_number == 0]
            if wave.counts[1:] == (0, 0):
                perspectives = ["professionnels"]
            by = partner if index == 0 and wave_number == 1 and partner is not None else coordinator
            campaign = _campaign(
                platform,
                title=f"Observatoire — {team.organisation.name} – {team.name} — T{wave_number}",
                team=team,
                instrument=team_instrument,
                perspectives=perspectives,
                wave=wave_number,
                previous=previous,
                opens_on=today - timedelta(weeks=wave.opened_weeks_ago),
                closes_on=today + timedelta(weeks=wave.closes_in_weeks),
                by=by,
            )
            for perspective, count in zip(PERSPECTIVES, wave.counts, strict=True):
                if perspective in perspectives and count:
                    rows += _responses(rng, campaign, definition, perspective, count, wave.shift)
            previous = campaign
    rows += _training(rng, platform, instruments[BELIEFS_INSTRUMENT], coordinator, today)
    Response.objects.bulk_create(rows, batch_size=1000)


def _training(rng: random.Random, platform: Platform, instrument: Instrument, by: User, today: date) -> list[Response]:
    """A training in recovery-oriented practice with its before/after beliefs questionnaire."""
    definition = Definition.from_dict(instrument.definition)
    version = definition.respondent_version("professionnels")
    rows: list[Response] = []
    previous: Campaign | None = None
    for wave, (count, weeks, mean) in enumerate(((18, 10, 2.3), (16, 6, 2.9))):
        campaign = _campaign(
            platform,
            title=f"Formation « Pratiques orientées rétablissement » — {'Avant' if wave == 0 else 'Après'}",
            team=None,
            instrument=instrument,
            perspectives=["professionnels"],
            wave=wave,
            previous=previous,
            opens_on=today - timedelta(weeks=weeks),
            closes_on=today - timedelta(weeks=weeks - 1),
            by=by,
            purpose=Purpose.TRAINING,
        )
        for _index in range(count):
            level = mean + rng.gauss(0, 0.4)
            answers: dict[str, int | str] = {}
            for item in version.items:
                value = level if not item.reverse else definition.scale.high - level
                answers[item.key] = _answer(rng, value, definition.scale.low, definition.scale.high, ["NSP"])
            values, scores = scored(definition, "professionnels", answers)
            rows.append(
                Response(
                    platform=platform,
                    campaign=campaign,
                    perspective="professionnels",
                    answers=answers,
                    values=values,
                    scores=scores,
                    submitted_on=campaign.opens_on + timedelta(days=rng.randint(0, 6)),
                    submission_key=secrets.token_urlsafe(24),
                )
            )
        previous = campaign
    return rows


# ---- Individual impact measures


def seed_measures(ctx: DemoContext) -> None:
    """Hope measured at the first meeting then about every six months, for about 60 people of the
    Rhône platform (the demo person among them), with a slow upward trend; a few also have the short
    well-being scale."""
    from .generator import demo_email

    platform = ctx.platforms.get("rhone")
    if platform is None or ImpactMeasure.objects.filter(platform=platform).exists():
        return
    rng = random.Random(ctx.seed + 800)
    instruments = {i.code: i for i in Instrument.objects.filter(platform=platform)}
    hope = instruments[HOPE_INSTRUMENT]
    wellbeing = instruments[WELLBEING_INSTRUMENT]
    today = timezone.localdate()
    month_ago = today - timedelta(days=30)
    people = list(
        Person.objects.filter(
            platform=platform, relation=Relation.SELF, status=PersonStatus.OPEN, opened_on__lte=month_ago
        ).order_by("opened_on", "id")
    )
    demo_person = Person.objects.filter(
        platform=platform, membership__user__email=demo_email(Role.PERSON, "rhone")
    ).first()
    chosen = rng.sample(people, k=min(60, len(people)))
    if demo_person is not None and demo_person not in chosen:
        chosen[0] = demo_person
    coordinator = User.objects.get(email=demo_email(Role.COORDINATOR, "rhone"))
    rows: list[ImpactMeasure] = []
    for number, person in enumerate(chosen):
        start = max(person.opened_on, today - timedelta(days=720))
        days = list(range(0, (today - start).days + 1, 182)) or [0]
        base = rng.uniform(1.9, 2.7)
        for step, offset in enumerate(days[:4]):
            level = base + 0.25 * step + rng.gauss(0, 0.15)
            rows.append(_measure(rng, platform, person, hope, level, start + timedelta(days=offset), coordinator))
            if number % 4 == 0:
                rows.append(
                    _measure(rng, platform, person, wellbeing, level + 0.8, start + timedelta(days=offset), coordinator)
                )
    ImpactMeasure.objects.bulk_create(rows, batch_size=1000)


def _measure(
    rng: random.Random,
    platform: Platform,
    person: Person,
    instrument: Instrument,
    level: float,
    day: date,
    by: User,
) -> ImpactMeasure:
    definition = Definition.from_dict(instrument.definition)
    version = definition.versions[0]
    scale = definition.scale
    answers: dict[str, int | str] = {}
    for item in version.items:
        value = level if not item.reverse else scale.low + scale.high - level
        answers[item.key] = max(scale.low, min(scale.high, round(rng.gauss(value, 0.6))))
    values, scores = scored(definition, version.key, answers)
    by_person = rng.random() < 0.4
    return ImpactMeasure(
        platform=platform,
        person=person,
        instrument=instrument,
        perspective=version.key,
        answers=answers,
        values=values,
        scores=scores,
        measured_on=day,
        filled_by=MeasureFiller.PERSON if by_person else MeasureFiller.WITH_PEER,
        entered_by=None if by_person else by,
    )
