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
ASSIGNMENT_MANAGE = roles(
    "deployments.assignment_manage",
    Role.COORDINATOR,
    description="Affecter des pairs aidant·es à un déploiement (suggestions classées)",
)
MY_ASSIGNMENTS = roles(
    "deployments.my_assignments", Role.PEER_WORKER, description="Mes affectations chez les partenaires (mon planning)"
)
FOLLOWUP_RECORD = roles(
    "deployments.followup_record",
    Role.COORDINATOR,
    description="Noter les points de suivi conjoint, le bilan et la transition vers l'embauche directe",
)
SUCCESS_CRITERIA = roles(
    "deployments.success_criteria", Role.COORDINATOR, description="Critères de réussite de la plateforme"
)
CONTRACT_MANAGE = roles(
    "deployments.contract_manage", Role.COORDINATOR, description="Enregistrer les conventions avec les partenaires"
)
CONTRACT_DOCUMENT = roles(
    "deployments.contract_document",
    Role.COORDINATOR,
    Role.PARTNER_CONTACT,
    description="Télécharger une convention signée (les siennes seulement pour un partenaire)",
)
CAPACITY_VIEW = roles(
    "deployments.capacity", Role.COORDINATOR, description="Capacité pour les interventions ponctuelles"
)
SETTINGS_EDIT = roles(
    "deployments.settings", Role.COORDINATOR, description="Réglages des déploiements (suivi conjoint, capacité)"
)
PARTNER_FOLLOWUP = roles(
    "deployments.partner_followup",
    Role.PARTNER_CONTACT,
    description="Suivi de ses déploiements : points à venir et heures réalisées",
)
