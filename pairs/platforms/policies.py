"""Who may do what with a platform's members. Data, not code: one rule per action."""

from .permissions import roles
from .roles import Role

MEMBER_LIST = roles("platforms.member_list", Role.COORDINATOR, description="Voir les comptes de la plateforme")
MEMBER_VIEW = roles("platforms.member_view", Role.COORDINATOR, description="Voir la fiche d'un compte")
MEMBER_INVITE = roles("platforms.member_invite", Role.COORDINATOR, description="Inviter une personne")
MEMBER_EDIT = roles("platforms.member_edit", Role.COORDINATOR, description="Modifier un rôle, désactiver")
