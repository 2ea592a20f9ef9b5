from django.urls import path

from . import selectors, views
from .permissions import register_url_object

app_name = "platforms"

register_url_object("membership_id", selectors.membership_exists_in)

urlpatterns = [
    path("membres/", views.member_list, name="member_list"),
    path("membres/inviter/", views.member_invite, name="member_invite"),
    path("membres/<int:membership_id>/", views.member_detail, name="member_detail"),
    path("membres/<int:membership_id>/modifier/", views.member_edit, name="member_edit"),
]
