from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

DASHBOARD = roles(
    "reporting.dashboard",
    Role.COORDINATOR,
    Role.FUNDER,
    description="Tableau de bord de la plateforme (le financeur : chiffres agrégés seulement)",
)
REPORTS = roles(
    "reporting.reports",
    Role.COORDINATOR,
    Role.FUNDER,
    description="Rapports annuels d'activité : les consulter et les télécharger",
)
REPORTS_MANAGE = roles(
    "reporting.reports_manage",
    Role.COORDINATOR,
    description="Rédiger les textes du rapport annuel et le générer",
)
TERRITORY = roles(
    "reporting.territory",
    Role.COORDINATOR,
    Role.FUNDER,
    description="Équité territoriale : carte, communes et intercommunalités, simulation",
)
NETWORK = roles(
    "reporting.network",
    Role.NETWORK_ADMIN,
    description="Indicateurs du réseau, plateforme par plateforme, agrégés et sans petits nombres",
)
