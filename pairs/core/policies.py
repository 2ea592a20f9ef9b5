from pairs.platforms.permissions import public

HOME = public("core.home", "Accueil : présentation publique, ou tableau de bord selon le rôle")
HEALTH = public("core.health", "État du service (supervision)")
LANGUAGE = public("core.language", "Changer de langue")
SECURITY_TXT = public("core.security_txt", "Contact sécurité (security.txt, RFC 9116)")
ACCESSIBILITY = public("core.accessibility", "Déclaration d'accessibilité (RGAA)")
