"""Who may do what in the peer worker pool. Checks that depend on the object (a worker's own
profile, a tutor's tutee) are made by the selectors, which answer 404 otherwise."""

from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

C = Role.COORDINATOR
P = Role.PEER_WORKER

POOL_LIST = roles("peers.pool_list", C, description="Voir le vivier des pairs aidant·es")
PEER_CREATE = roles("peers.create", C, description="Ajouter un·e pair aidant·e au vivier")
PEER_VIEW = roles("peers.view", C, P, description="Voir une fiche (la sienne pour un·e pair aidant·e)")
PEER_EDIT_CONTRACT = roles("peers.edit_contract", C, description="Modifier statut, contrat, zones, publication")
PEER_EDIT_OWN = roles("peers.edit_own", P, description="Modifier sa présentation, ses langues, ses disponibilités")
FREE_SEARCH = roles("peers.free_search", C, description="Chercher qui est disponible, où et quand")
ONBOARDING = roles(
    "peers.onboarding", C, P, description="Suivre un parcours d'intégration (coordination, tuteur, pair)"
)
ONBOARDING_TEMPLATE = roles("peers.onboarding_template", C, description="Définir le parcours d'intégration type")
TRAINING = roles("peers.training", C, P, description="Formations suivies (coordination, ou soi-même)")
SUPERVISION = roles("peers.supervision", C, description="Séances de supervision et d'intervision, présences")
CAREER_REVIEW = roles("peers.career_review", C, P, description="Entretiens professionnels (coordination, ou soi-même)")
ACTIVITY_OWN = roles("peers.activity_own", P, description="Saisir sa propre activité")
ACTIVITY_REVIEW = roles("peers.activity_review", C, description="Voir et corriger l'activité des pairs aidant·es")
WORKLOAD = roles("peers.workload", C, description="Alertes de charge de travail")
MY_INDICATORS = roles("peers.my_indicators", P, description="Voir ses propres indicateurs")
POOL_SETTINGS = roles("peers.settings", C, description="Seuils d'alerte et catalogues du vivier")
INTERNS = roles(
    "peers.interns",
    Role.COORDINATOR,
    description="Stagiaires du DU : fiches, tuteur·rices, objectifs, étapes d'évaluation",
)
INTERNS_VIEW = roles(
    "peers.intern_view",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description="La fiche d'un·e stagiaire du DU (la coordination, ou son tuteur ou sa tutrice)",
)
MY_INTERNS = roles(
    "peers.my_interns", Role.PEER_WORKER, description="Ses stagiaires du DU (tuteur ou tutrice) : suivre les étapes"
)
