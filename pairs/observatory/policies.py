from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

INSTRUMENTS = roles(
    "observatory.instruments",
    Role.COORDINATOR,
    description="Instruments de l'Observatoire : importer une définition, noter une autorisation d'usage",
)
CAMPAIGNS = roles(
    "observatory.campaigns",
    Role.COORDINATOR,
    Role.PARTNER_CONTACT,
    description=(
        "Campagnes de l'Observatoire : lancer, suivre, saisir des questionnaires papier, voir les résultats "
        "(un·e partenaire : les équipes de son organisation)"
    ),
)
SETTINGS = roles(
    "observatory.settings", Role.COORDINATOR, description="Réglages de l'Observatoire : seuil d'anonymat, rythme"
)
ANSWER = public("observatory.answer", "Répondre anonymement à un questionnaire avec le lien reçu")
MEASURES = roles(
    "observatory.measures",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description="Mesures d'impact d'une personne accompagnée, remplies avec elle",
)
MY_MEASURES = roles(
    "observatory.my_measures", Role.PERSON, description="Ses propres mesures : les remplir, voir leur évolution"
)
IMPACT = roles(
    "observatory.impact",
    Role.COORDINATOR,
    Role.FUNDER,
    description="Évolution agrégée des mesures d'impact, seulement au-dessus du seuil d'anonymat",
)
