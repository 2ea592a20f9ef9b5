from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

INSTRUMENTS = roles(
    "observatory.instruments",
    Role.COORDINATOR,
    description="Instruments de l'Observatoire : importer une définition, noter une autorisation d'usage",
)
