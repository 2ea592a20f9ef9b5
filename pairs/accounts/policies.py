"""Who may use the account pages."""

from pairs.platforms.permissions import authenticated, public

SIGN_IN = public("accounts.sign_in", "Se connecter, demander un lien, réinitialiser un mot de passe")
OWN_ACCOUNT = authenticated("accounts.own_account", "Gérer son propre compte")
