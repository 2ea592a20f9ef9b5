from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import jobs, library

app_name = "resources"

register_url_object("document_id", selectors.document_exists_in)
register_url_object("job_id", selectors.job_exists_in)
register_url_non_object("platform_slug", "document_token")

urlpatterns = [
    # The library (views/library.py)
    path("bibliotheque/", library.document_list, name="library"),
    path("bibliotheque/ajouter/", library.document_create, name="document_create"),
    path("bibliotheque/<int:document_id>/", library.document_edit, name="document"),
    path("bibliotheque/<int:document_id>/telecharger/", library.document_download, name="document_download"),
    path("bibliotheque/prerequis-accueil.pdf", library.prerequisites_pdf, name="prerequisites_pdf"),
    path("ressources/<slug:platform_slug>/", library.public_library, name="public_library"),
    path("ressources/fichier/<str:document_token>/", library.public_download, name="public_download"),
    # The job board (views/jobs.py)
    path("offres/", jobs.job_list, name="jobs"),
    path("offres/nouvelle/", jobs.job_create, name="job_create"),
    path("offres/<int:job_id>/", jobs.job_edit, name="job"),
    path("emplois/<slug:platform_slug>/", jobs.public_jobs, name="public_jobs"),
]
