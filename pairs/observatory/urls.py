from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import answer, campaigns, instruments, measures, results

app_name = "observatory"

register_url_object("instrument_id", selectors.instrument_exists_in)
register_url_object("campaign_id", selectors.campaign_exists_in)
register_url_non_object("answer_token", "perspective")

urlpatterns = [
    # Instruments (views/instruments.py)
    path("observatoire/instruments/", instruments.instrument_list, name="instruments"),
    path("observatoire/instruments/importer/", instruments.instrument_import, name="instrument_import"),
    path("observatoire/instruments/<int:instrument_id>/", instruments.instrument_detail, name="instrument"),
    # Campaigns: launch, follow, posters, paper questionnaires, settings (views/campaigns.py)
    path("observatoire/", campaigns.campaign_list, name="campaigns"),
    path("observatoire/campagnes/nouvelle/", campaigns.campaign_create, name="campaign_create"),
    path("observatoire/campagnes/<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("observatoire/campagnes/<int:campaign_id>/compteurs/", campaigns.campaign_counts, name="campaign_counts"),
    path(
        "observatoire/campagnes/<int:campaign_id>/affiche/<slug:perspective>/",
        campaigns.campaign_poster,
        name="campaign_poster",
    ),
    path(
        "observatoire/campagnes/<int:campaign_id>/saisie/<slug:perspective>/",
        campaigns.campaign_type_in,
        name="campaign_type_in",
    ),
    path("observatoire/reglages/", campaigns.settings_edit, name="settings"),
    # Anonymous answers through a campaign's link (views/answer.py)
    path("questionnaire/<str:answer_token>/", answer.answer, name="answer"),
    path("questionnaire/<str:answer_token>/merci/", answer.answer_done, name="answer_done"),
    # Results, report, export (views/results.py)
    path("observatoire/campagnes/<int:campaign_id>/resultats/", results.campaign_results, name="results"),
    path("observatoire/campagnes/<int:campaign_id>/rapport.pdf", results.campaign_report, name="report"),
    path("observatoire/campagnes/<int:campaign_id>/reponses.csv", results.campaign_csv, name="csv"),
    # Individual impact measures (views/measures.py)
    path("accompagnement/personnes/<int:person_id>/mesures/", measures.person_measures, name="person_measures"),
    path(
        "accompagnement/personnes/<int:person_id>/mesures/nouvelle/",
        measures.person_measure_add,
        name="person_measure_add",
    ),
    path("mon-accompagnement/mesures/", measures.my_measures, name="my_measures"),
    path("mon-accompagnement/mesures/nouvelle/", measures.my_measure_add, name="my_measure_add"),
    path("observatoire/mesures/", measures.impact_overview, name="impact"),
]
