from django.urls import path

from pairs.platforms.permissions import register_url_non_object

from . import views

app_name = "privacy"

register_url_non_object("platform_slug")

urlpatterns = [
    path("confidentialite/durees/", views.retention, name="retention"),
    path("confidentialite/durees/modifier/", views.retention_edit, name="retention_edit"),
    path("confidentialite/durees/echeances/", views.upcoming, name="upcoming"),
    path("confidentialite/<slug:platform_slug>/durees/", views.public_retention, name="public_retention"),
]
