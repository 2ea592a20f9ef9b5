from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

LIBRARY = roles(
    "resources.library",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.PARTNER_CONTACT,
    Role.PERSON,
    Role.FUNDER,
    description="La bibliothèque de ressources, selon la visibilité de chaque document",
)
LIBRARY_MANAGE = roles(
    "resources.library_manage", Role.COORDINATOR, description="Ajouter, modifier ou retirer des documents"
)
PREREQUISITES_PDF = roles(
    "resources.prerequisites",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.PARTNER_CONTACT,
    description="La liste des prérequis d'accueil d'un·e pair aidant·e, en PDF",
)
JOBS_MANAGE = roles("resources.jobs", Role.COORDINATOR, description="Offres d'emploi de pair aidant·e : publier")
PUBLIC = public("resources.public", "Les ressources publiques et les offres d'emploi du territoire")
