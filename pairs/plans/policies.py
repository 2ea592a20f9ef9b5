from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

PLAN = roles(
    "plans.plan",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.PERSON,
    description=(
        "Plans de crise : la personne et le ou la pair aidant·e qui l'accompagne écrivent ; la coordination "
        "voit l'existence et l'état, le contenu seulement si la personne l'a partagé avec l'équipe"
    ),
)
PLAN_WRITE = roles(
    "plans.plan_write",
    Role.PEER_WORKER,
    Role.PERSON,
    description="Écrire, finaliser, partager ou révoquer un plan (la personne, avec son ou sa pair aidant·e)",
)
PLAN_START = roles(
    "plans.plan_start", Role.COORDINATOR, Role.PEER_WORKER, description="Ouvrir un plan pour une personne accompagnée"
)
PLAN_SETTINGS = roles("plans.settings", Role.COORDINATOR, description="Réglages des plans de crise")
SHARE_PUBLIC = public("plans.share_public", "Ouvrir un plan partagé avec le lien reçu (et le code envoyé)")
