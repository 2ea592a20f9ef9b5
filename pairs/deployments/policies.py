from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

REQUEST_FILE = roles(
    "deployments.request_file",
    Role.PARTNER_CONTACT,
    Role.COORDINATOR,
    description="Déposer une demande (partenaire, ou coordination pour son compte)",
)
DEPLOYMENT_LIST = roles("deployments.list", Role.COORDINATOR, description="Voir les demandes et déploiements")
DEPLOYMENT_VIEW = roles(
    "deployments.view",
    Role.COORDINATOR,
    Role.PARTNER_CONTACT,
    description="Suivre un déploiement (les siens seulement pour un partenaire)",
)
DEPLOYMENT_STEER = roles(
    "deployments.steer", Role.COORDINATOR, description="Faire avancer un déploiement, cocher ou déroger aux prérequis"
)
PREREQUISITE_TEMPLATES = roles(
    "deployments.prerequisite_templates", Role.COORDINATOR, description="Liste des prérequis de la plateforme"
)
