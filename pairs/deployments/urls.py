from django.urls import path

from pairs.platforms.permissions import register_url_object

from . import selectors
from .views import workflow

app_name = "deployments"

register_url_object("deployment_id", selectors.deployment_exists_in)
register_url_object("prerequisite_id", selectors.prerequisite_exists_in)

urlpatterns = [
    path("demandes/nouvelle/", workflow.request_new, name="request_new"),
    path("deploiements/", workflow.deployment_list, name="list"),
    path("deploiements/prerequis/", workflow.prerequisite_templates, name="prerequisite_templates"),
    path("deploiements/<int:deployment_id>/", workflow.deployment_detail, name="detail"),
    path("deploiements/<int:deployment_id>/avancer/", workflow.deployment_advance, name="advance"),
    path("deploiements/<int:deployment_id>/prise-en-compte/", workflow.request_acknowledge, name="acknowledge"),
    path("prerequis/<int:prerequisite_id>/", workflow.prerequisite_update, name="prerequisite"),
]
