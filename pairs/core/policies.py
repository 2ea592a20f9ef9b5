from pairs.platforms.permissions import public

HOME = public("core.home", "Accueil : présentation publique, ou tableau de bord selon le rôle")
HEALTH = public("core.health", "État du service (supervision)")
LANGUAGE = public("core.language", "Changer de langue")
