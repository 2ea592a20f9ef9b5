from pairs.platforms.permissions import roles
from pairs.platforms.roles import Role

JOURNAL_VIEW = roles("journal.view", Role.COORDINATOR, description="Consulter le journal d'audit de la plateforme")
