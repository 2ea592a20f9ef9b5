from django.urls import path

from pairs.platforms.permissions import register_url_object

from . import selectors
from .views import assignments, contracts, followup, workflow

app_name = "deployments"

register_url_object("deployment_id", selectors.deployment_exists_in)
register_url_object("prerequisite_id", selectors.prerequisite_exists_in)
register_url_object("assignment_id", selectors.assignment_exists_in)
register_url_object("joint_review_id", selectors.review_exists_in)
register_url_object("transition_task_id", selectors.transition_task_exists_in)
register_url_object("contract_id", selectors.contract_exists_in)

urlpatterns = [
    # Requests and the workflow (views/workflow.py)
    path("demandes/nouvelle/", workflow.request_new, name="request_new"),
    path("deploiements/", workflow.deployment_list, name="list"),
    path("deploiements/prerequis/", workflow.prerequisite_templates, name="prerequisite_templates"),
    path("deploiements/<int:deployment_id>/", workflow.deployment_detail, name="detail"),
    path("deploiements/<int:deployment_id>/avancer/", workflow.deployment_advance, name="advance"),
    path("deploiements/<int:deployment_id>/prise-en-compte/", workflow.request_acknowledge, name="acknowledge"),
    path("prerequis/<int:prerequisite_id>/", workflow.prerequisite_update, name="prerequisite"),
    # Assignment of peer workers, with suggestions; the worker's schedule (views/assignments.py)
    path("deploiements/<int:deployment_id>/affectation/", assignments.assignment_screen, name="assign"),
    path("affectations/<int:assignment_id>/", assignments.assignment_edit, name="assignment"),
    path("mes-affectations/", assignments.my_assignments, name="my_assignments"),
    # Joint reviews, success criteria, bilan, transition to direct hiring (views/followup.py)
    path("deploiements/<int:deployment_id>/points-de-suivi/", followup.review_add, name="review_add"),
    path("points-de-suivi/<int:joint_review_id>/", followup.review_edit, name="review"),
    path("deploiements/<int:deployment_id>/bilan/", followup.assessment_edit, name="assessment"),
    path("transition/<int:transition_task_id>/", followup.transition_task_toggle, name="transition_task"),
    path("deploiements/criteres-de-reussite/", followup.success_criteria, name="success_criteria"),
    # Contracts, hours delivered, capacity, settings, the partner's follow-up (views/contracts.py)
    path("deploiements/<int:deployment_id>/conventions/", contracts.contract_new, name="contract_new"),
    path("conventions/<int:contract_id>/", contracts.contract_edit, name="contract"),
    path("conventions/<int:contract_id>/document/", contracts.contract_document, name="contract_document"),
    path("capacite/", contracts.capacity, name="capacity"),
    path("deploiements/reglages/", contracts.deployment_settings, name="settings"),
    path("mon-organisation/suivi/", contracts.partner_followup, name="partner_followup"),
]
