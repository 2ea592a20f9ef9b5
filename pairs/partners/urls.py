from django.urls import path

from pairs.platforms.permissions import register_url_object

from . import selectors
from .views import organisations

app_name = "partners"

register_url_object("organisation_id", selectors.organisation_exists_in)
register_url_object("contact_id", selectors.contact_exists_in)

urlpatterns = [
    path("partenaires/", organisations.organisation_list, name="list"),
    path("partenaires/ajouter/", organisations.organisation_create, name="create"),
    path("partenaires/<int:organisation_id>/", organisations.organisation_detail, name="detail"),
    path("partenaires/<int:organisation_id>/modifier/", organisations.organisation_edit, name="edit"),
    path("partenaires/<int:organisation_id>/services/", organisations.team_add, name="team_add"),
    path("partenaires/<int:organisation_id>/contacts/", organisations.contact_add, name="contact_add"),
    path("contacts/<int:contact_id>/compte/", organisations.contact_invite, name="contact_invite"),
    path("mon-organisation/", organisations.my_organisation, name="mine"),
]
