from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordination")
    PEER_WORKER = "peer_worker", _("Pair aidant·e")
    PARTNER_CONTACT = "partner_contact", _("Partenaire")
    PERSON = "person", _("Personne accompagnée ou proche")
    FUNDER = "funder", _("Financeur")
    NETWORK_ADMIN = "network_admin", _("Administration du réseau")


# Roles that handle other people's data: they must confirm a second factor in production.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.PEER_WORKER, Role.NETWORK_ADMIN})

# Order used to choose the default space of a user with several roles.
ROLE_ORDER = [
    Role.COORDINATOR,
    Role.NETWORK_ADMIN,
    Role.PEER_WORKER,
    Role.PARTNER_CONTACT,
    Role.FUNDER,
    Role.PERSON,
]
