from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import editor, outputs, sharing

app_name = "plans"

register_url_object("plan_id", selectors.plan_exists_in)
register_url_object("version_id", selectors.version_exists_in)
register_url_object("share_id", selectors.share_exists_in)
register_url_non_object("share_token", "section")

urlpatterns = [
    # Writing, versions, sessions, crises, settings (views/editor.py)
    path("plans/", editor.plan_list, name="list"),
    path("plans/reglages/", editor.settings_edit, name="settings"),
    path("mon-plan/", editor.my_plan, name="mine"),
    path("accompagnement/personnes/<int:person_id>/plan/", editor.plan_start, name="start"),
    path("plans/<int:plan_id>/", editor.plan_detail, name="detail"),
    path("plans/<int:plan_id>/rediger/", editor.plan_edit, name="edit"),
    path("plans/<int:plan_id>/rediger/<slug:section>/", editor.section_save, name="section"),
    path("plans/<int:plan_id>/finaliser/", editor.plan_finalise, name="finalise"),
    path("plans/<int:plan_id>/versions/<int:version_id>/", editor.version_detail, name="version"),
    path("plans/<int:plan_id>/comparer/", editor.version_compare, name="compare"),
    path("plans/<int:plan_id>/seances/", editor.session_add, name="session_add"),
    path("plans/<int:plan_id>/crise/", editor.crisis_add, name="crisis_add"),
    # Sharing, revocation, the recipient's link (views/sharing.py)
    path("plans/<int:plan_id>/partages/", sharing.share_add, name="share_add"),
    path("plans/<int:plan_id>/revoquer/", sharing.plan_revoke, name="revoke"),
    path("plans/partages/<int:share_id>/retirer/", sharing.share_revoke, name="share_revoke"),
    path("plan-partage/<str:share_token>/", sharing.share_open, name="share_open"),
    # Printable PDF and wallet card (views/outputs.py)
    path("plans/<int:plan_id>/versions/<int:version_id>/pdf/", outputs.version_pdf, name="version_pdf"),
    path("plans/partages/<int:share_id>/carte/", outputs.share_card, name="share_card"),
]
