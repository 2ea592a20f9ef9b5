from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import dashboard, network, reports, territory

app_name = "reporting"

register_url_object("report_id", selectors.report_exists_in)
register_url_non_object("year")

urlpatterns = [
    # The dashboard for a period, compared with the same period a year earlier (views/dashboard.py)
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    # The yearly report: texts, generation as a job with progress, downloads (views/reports.py)
    path("rapports/", reports.report_list, name="reports"),
    path("rapports/textes/<int:year>/", reports.narratives_edit, name="narratives"),
    path("rapports/<int:report_id>/", reports.report_detail, name="report"),
    path("rapports/<int:report_id>/avancement/", reports.report_progress, name="report_progress"),
    path("rapports/<int:report_id>/rapport.pdf", reports.report_pdf, name="report_pdf"),
    path("rapports/<int:report_id>/rapport.xlsx", reports.report_xlsx, name="report_xlsx"),
    # Territorial equity: map, table, under-served communes, "what if" (views/territory.py)
    path("territoire/", territory.equity, name="territory"),
    # The network's indicators, platform by platform (views/network.py)
    path("reseau/indicateurs/", network.network_indicators, name="network"),
]
