"""Demo data of the partners directory: about forty partner organisations in the Rhône and ten
in the Isère, across every sector, with their teams and contacts. All names are invented."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import slugify

from pairs.partners.models import Contact, Organisation, Sector, Team
from pairs.platforms.models import Membership, Platform
from pairs.platforms.roles import Role
from pairs.territory.models import Commune

if TYPE_CHECKING:
    import random

    from .generator import DemoContext

CONTACT_DOMAIN = "partenaire.demo.pairs-ressources.example"

# Organisations per sector and platform (multiplied by the scale).
SECTOR_MIX = {
    "rhone": {
        Sector.PSYCHIATRIC_HOSPITAL: 6,
        Sector.MEDICO_SOCIAL: 8,
        Sector.SOCIAL: 8,
        Sector.PRIMARY_CARE: 5,
        Sector.EDUCATION: 3,
        Sector.GEM: 5,
        Sector.LOCAL_AUTHORITY: 3,
        Sector.OTHER: 2,
    },
    "isere": {
        Sector.PSYCHIATRIC_HOSPITAL: 2,
        Sector.MEDICO_SOCIAL: 2,
        Sector.SOCIAL: 1,
        Sector.PRIMARY_CARE: 1,
        Sector.EDUCATION: 1,
        Sector.GEM: 1,
        Sector.LOCAL_AUTHORITY: 1,
        Sector.OTHER: 1,
    },
}

# Invented names: no real institution. "{place}" is an invented place or saint.
NAME_PATTERNS = {
    Sector.PSYCHIATRIC_HOSPITAL: [
        "Centre hospitalier {saint}",
        "Clinique des {trees}",
        "CMP {place}",
        "Centre psychothérapique {place}",
        "Hôpital de jour {nice}",
        "Clinique {nice}",
    ],
    Sector.MEDICO_SOCIAL: [
        "SAMSAH {nice}",
        "Foyer d'accueil médicalisé Les {trees}",
        "ESAT {nice}",
        "SAVS {place}",
        "Maison d'accueil spécialisée {saint}",
        "IME Les {trees}",
    ],
    Sector.SOCIAL: [
        "CHRS {nice}",
        "Pension de famille Les {trees}",
        "Association {nice}",
        "Accueil de jour {place}",
        "Résidence sociale {saint}",
        "Maison des solidarités {place}",
    ],
    Sector.PRIMARY_CARE: [
        "CPTS {place}",
        "Centre de santé {nice}",
        "Maison de santé pluriprofessionnelle {place}",
        "Pôle de santé Les {trees}",
    ],
    Sector.EDUCATION: [
        "Institut de formation en soins infirmiers {saint}",
        "Lycée professionnel {nice}",
        "École de travail social {place}",
        "Institut de formation {nice}",
    ],
    Sector.GEM: [
        "GEM Les Ailes du {wind}",
        "GEM {nice}",
        "GEM La Passerelle {place}",
        "GEM Le Phare {place}",
    ],
    Sector.LOCAL_AUTHORITY: [
        "Conseil local de santé mentale {place}",
        "Communauté de communes {place}",
        "Service santé de la ville de {place}",
    ],
    Sector.OTHER: [
        "Association sportive {nice}",
        "Mutuelle {nice}",
        "Café associatif {nice}",
    ],
}
SAINTS = [
    "Saint-Exemple",
    "Saint-Fictif",
    "Sainte-Aurore",
    "Saint-Alban-des-Prés",
    "Sainte-Colombe-du-Val",
    "Saint-Imaginaire",
]
PLACES = [
    "Val-de-Brume",
    "Les Hauts-Clairs",
    "Plaine-Est",
    "Rive-Douce",
    "Colline-Nord",
    "Bois-Joli",
    "Pré-Fleuri",
    "Mont-Serein",
    "Combe-Verte",
    "Les Trois-Sources",
    "Bel-Horizon",
    "Roche-Claire",
]
TREES = ["Tilleuls", "Cèdres", "Érables", "Glycines", "Platanes", "Marronniers", "Aubépines", "Noisetiers"]
NICE = [
    "L'Envol",
    "Le Lien",
    "Horizon",
    "La Boussole",
    "Le Relais",
    "Entre-Nous",
    "L'Escale",
    "Cap Avenir",
    "La Clairière",
    "Le Fil",
    "Arc-en-ciel",
    "Les Passerelles",
]
WINDS = ["Nord", "Sud", "Levant", "Couchant"]

TEAMS = {
    Sector.PSYCHIATRIC_HOSPITAL: [
        "Unité d'hospitalisation adultes",
        "Hôpital de jour",
        "CMP adultes",
        "Équipe mobile psychiatrie précarité",
        "Unité de réhabilitation psychosociale",
        "Centre d'accueil thérapeutique à temps partiel",
    ],
    Sector.MEDICO_SOCIAL: ["Équipe d'accompagnement", "Service d'hébergement", "Atelier", "Équipe de nuit"],
    Sector.SOCIAL: ["Accueil de jour", "Équipe de rue", "Hébergement", "Service insertion"],
    Sector.PRIMARY_CARE: ["Équipe de coordination", "Médecine générale", "Soins infirmiers"],
    Sector.EDUCATION: ["Pôle formation initiale", "Pôle formation continue", "Service de santé des élèves"],
    Sector.GEM: ["Accueil", "Atelier d'écriture", "Groupe du mardi"],
    Sector.LOCAL_AUTHORITY: ["Service action sociale", "Coordination santé", "Maison des habitants"],
    Sector.OTHER: ["Équipe d'animation", "Pôle accompagnement"],
}
JOB_TITLES = {
    Sector.PSYCHIATRIC_HOSPITAL: [
        "Cadre de santé",
        "Psychiatre",
        "Infirmier·e coordinateur·rice",
        "Directeur·rice des soins",
    ],
    Sector.MEDICO_SOCIAL: ["Chef·fe de service", "Directeur·rice", "Éducateur·rice spécialisé·e"],
    Sector.SOCIAL: ["Chef·fe de service", "Travailleur·se social·e", "Directeur·rice"],
    Sector.PRIMARY_CARE: ["Coordinateur·rice", "Médecin généraliste", "Infirmier·e"],
    Sector.EDUCATION: ["Responsable pédagogique", "Formateur·rice", "Infirmier·e scolaire"],
    Sector.GEM: ["Animateur·rice", "Président·e", "Coordinateur·rice"],
    Sector.LOCAL_AUTHORITY: ["Coordinateur·rice du CLSM", "Chargé·e de mission santé", "Élu·e à la santé"],
    Sector.OTHER: ["Responsable", "Chargé·e de projet"],
}


def fake_landline(rng: random.Random) -> str:
    """A landline number in the range reserved for fiction in the south-east (04 65 71 xx xx, ARCEP)."""
    return f"04 65 71 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def _candidate_names(ctx: DemoContext, sector: Sector) -> list[str]:
    names = []
    for pattern in NAME_PATTERNS[sector]:
        for _attempt in range(4):
            names.append(
                pattern.format(
                    saint=ctx.rng.choice(SAINTS),
                    place=ctx.rng.choice(PLACES),
                    trees=ctx.rng.choice(TREES),
                    nice=ctx.rng.choice(NICE),
                    wind=ctx.rng.choice(WINDS),
                )
            )
    return list(dict.fromkeys(names))  # unique, in a deterministic order


def _plan(ctx: DemoContext, slug: str) -> list[tuple[Sector, str]]:
    """(sector, name) of each organisation, names unique on the platform."""
    plan: list[tuple[Sector, str]] = []
    used: set[str] = set()
    for sector, count in SECTOR_MIX.get(slug, SECTOR_MIX["isere"]).items():
        candidates = _candidate_names(ctx, sector)
        ctx.rng.shuffle(candidates)
        for index in range(count * ctx.scale):
            name = candidates[index % len(candidates)]
            if index >= len(candidates):
                name = f"{name} – site {index // len(candidates) + 1}"
            while name in used:
                name = f"{name} bis"
            used.add(name)
            plan.append((sector, name))
    return plan


def seed_partners(ctx: DemoContext) -> None:
    for slug, platform in ctx.platforms.items():
        if Organisation.objects.filter(platform=platform).exists():
            continue  # already seeded
        communes = list(
            Commune.objects.filter(department_code__in=platform.department_codes).order_by("-population", "insee_code")
        )
        if communes:
            _seed_platform(ctx, platform, slug, communes)


def _seed_platform(ctx: DemoContext, platform: Platform, slug: str, communes: list[Commune]) -> None:
    rng, fake = ctx.rng, ctx.fake
    big = communes[:30]  # partners are mostly in the larger communes
    organisations = Organisation.objects.bulk_create(
        Organisation(
            platform=platform,
            name=name,
            sector=sector,
            address=fake.street_address(),
            commune=rng.choice(big) if rng.random() < 0.85 else rng.choice(communes),
        )
        for sector, name in _plan(ctx, slug)
    )
    teams: list[Team] = []
    contacts: list[Contact] = []
    for organisation in organisations:
        sector = Sector(organisation.sector)
        for team_name in rng.sample(TEAMS[sector], k=min(len(TEAMS[sector]), rng.randint(1, 3))):
            other_place = rng.random() < 0.2
            teams.append(
                Team(
                    platform=platform,
                    organisation=organisation,
                    name=team_name,
                    commune=rng.choice(big) if other_place else None,
                )
            )
        for _index in range(rng.randint(1, 2)):
            first, last = fake.first_name(), fake.last_name()
            contacts.append(
                Contact(
                    platform=platform,
                    organisation=organisation,
                    first_name=first,
                    last_name=last,
                    job_title=rng.choice(JOB_TITLES[sector]),
                    email=f"{slugify(first)}.{slugify(last)}.{len(contacts) + 1}@{CONTACT_DOMAIN}",
                    phone=fake_landline(rng) if rng.random() < 0.8 else "",
                )
            )
    Team.objects.bulk_create(teams)
    Contact.objects.bulk_create(contacts)
    _link_demo_partner(ctx, platform, slug, organisations[0])


def _link_demo_partner(ctx: DemoContext, platform: Platform, slug: str, organisation: Organisation) -> None:
    """The demo partner account is a contact of the platform's first organisation."""
    from .generator import demo_email

    membership = (
        Membership.objects.filter(
            platform=platform, role=Role.PARTNER_CONTACT, user__email=demo_email(Role.PARTNER_CONTACT, slug)
        )
        .select_related("user")
        .first()
    )
    if membership is None or Contact.objects.filter(membership=membership).exists():
        return
    user = membership.user
    Contact.objects.create(
        platform=platform,
        organisation=organisation,
        first_name=user.first_name,
        last_name=user.last_name,
        job_title=ctx.rng.choice(JOB_TITLES[Sector(organisation.sector)]),
        email=user.email,
        phone=fake_landline(ctx.rng),
        membership=membership,
    )
