from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

RETENTION = roles(
    "privacy.retention",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.NETWORK_ADMIN,
    description="Durées de conservation de la plateforme : les consulter",
)
RETENTION_SETTINGS = roles(
    "privacy.retention_settings",
    Role.COORDINATOR,
    description=(
        "Durées de conservation : les choisir dans les limites du cadre légal, voir les dossiers bientôt anonymisés"
    ),
)
PUBLIC_RETENTION = public("privacy.public_retention", "Durées de conservation d'une plateforme, pour le public")
