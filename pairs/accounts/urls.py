from django.urls import path

from pairs.platforms.permissions import register_url_non_object

from . import views

app_name = "accounts"

register_url_non_object("uidb64", "token")

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/verification/", views.second_factor_verify, name="second_factor_verify"),
    path("connexion/lien/", views.magic_link_request, name="magic_link_request"),
    path("connexion/lien/ouvrir/", views.magic_link_open, name="magic_link_open"),
    path("connexion/mot-de-passe-oublie/", views.password_forgotten, name="password_forgotten"),
    path("connexion/mot-de-passe/<str:uidb64>/<str:token>/", views.password_set, name="password_set"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path("compte/securite/", views.security, name="security"),
    path("compte/confirmer/", views.reauthenticate, name="reauthenticate"),
    path("compte/espace/", views.switch_space, name="switch_space"),
]
