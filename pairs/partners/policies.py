from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

ORGANISATION_LIST = roles("partners.list", Role.COORDINATOR, description="Voir les partenaires de la plateforme")
ORGANISATION_EDIT = roles(
    "partners.edit", Role.COORDINATOR, description="Créer et modifier un partenaire, ses services, ses contacts"
)
ORGANISATION_VIEW = roles(
    "partners.view",
    Role.COORDINATOR,
    Role.PARTNER_CONTACT,
    description="Voir la fiche d'un partenaire (la sienne seulement pour un contact partenaire)",
)
MY_ORGANISATION = roles("partners.mine", Role.PARTNER_CONTACT, description="Espace de son organisation")
