from pairs.platforms.permissions import public, roles
from pairs.platforms.roles import Role

# Public: anyone may ask for support, register in a group from a link, or (peer workers) read their
# calendar through its secret address.
REQUEST_PUBLIC = public("support.request_public", "Demander à rencontrer un·e pair aidant·e, sans compte")
GROUP_REGISTER_PUBLIC = public("support.group_register_public", "S'inscrire à un groupe depuis le lien reçu")
CALENDAR_FEED = public("support.calendar_feed", "Agenda iCalendar d'un·e pair aidant·e (adresse secrète)")

TRIAGE = roles("support.triage", Role.COORDINATOR, description="File des demandes d'accompagnement, premier contact")
SETTINGS = roles("support.settings", Role.COORDINATOR, description="Réglages de l'accompagnement direct")
PERSON_VIEW = roles(
    "support.person_view",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description="Dossiers des personnes accompagnées (pour un·e pair aidant·e : les siennes)",
)
PERSON_EDIT = roles(
    "support.person_edit",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description="Modifier un dossier, noter un consentement ou son retrait",
)
MATCH = roles("support.match", Role.COORDINATOR, description="Choisir le ou la pair aidant·e référent·e (suggestions)")
CLOSE = roles("support.close", Role.COORDINATOR, Role.PEER_WORKER, description="Clore un accompagnement")
MEETINGS = roles(
    "support.meetings", Role.COORDINATOR, Role.PEER_WORKER, description="Prévoir les rencontres et noter leur issue"
)
MY_MEETINGS = roles("support.my_meetings", Role.PEER_WORKER, description="Mes rencontres et mon agenda")
PLACES = roles("support.places", Role.COORDINATOR, description="Lieux accessibles pour les rencontres")
GROUPS = roles(
    "support.groups", Role.COORDINATOR, Role.PEER_WORKER, description="Groupes, inscriptions et présences aux séances"
)
NOTES = roles(
    "support.notes",
    Role.COORDINATOR,
    Role.PEER_WORKER,
    description="Notes (selon leur confidentialité) et médiations",
)
MY_SPACE = roles("support.my_space", Role.PERSON, description="Mon accompagnement : rencontres, notes, consentements")
