from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

EVENTS_MANAGE = roles(
    "events.manage",
    Role.COORDINATOR,
    description="Événements et programmes de formation : créer, modifier, annuler, suivre les inscriptions",
)
EVENTS_BROWSE = roles(
    "events.browse",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    Role.PARTNER_CONTACT,
    Role.PERSON,
    Role.FUNDER,
    description="L'agenda de la plateforme selon son rôle (public, partenaires, pairs aidant·es)",
)
ATTENDANCE = roles(
    "events.attendance",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description=(
        "Faire l'appel d'un événement qu'on anime (la coordination : tous), ajouter les personnes venues "
        "sans inscription"
    ),
)
MY_EVENTS = roles("events.mine", Role.PEER_WORKER, description="Les événements qu'on anime")
CIRCLE_MANAGE = roles("events.circle", Role.COORDINATOR, description="Le cercle d'intervision : membres, invitations")
PUBLIC_AGENDA = public("events.public", "L'agenda public, l'inscription sans compte, son lien personnel")
CIRCLE_JOIN = public("events.circle_join", "Rejoindre le cercle d'intervision du territoire, ou le quitter")
