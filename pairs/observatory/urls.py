from django.urls import path

from pairs.platforms.permissions import register_url_object

from . import selectors
from .views import instruments

app_name = "observatory"

register_url_object("instrument_id", selectors.instrument_exists_in)

urlpatterns = [
    path("observatoire/instruments/", instruments.instrument_list, name="instruments"),
    path("observatoire/instruments/importer/", instruments.instrument_import, name="instrument_import"),
    path("observatoire/instruments/<int:instrument_id>/", instruments.instrument_detail, name="instrument"),
]
