from django.urls import include, path

urlpatterns = [
    path("", include("pairs.core.urls")),
    path("", include("pairs.accounts.urls")),
    path("", include("pairs.platforms.urls")),
    path("", include("pairs.journal.urls")),
    path("", include("pairs.notifications.urls")),
    path("", include("pairs.peers.urls")),
    path("", include("pairs.partners.urls")),
    path("", include("pairs.deployments.urls")),
    path("", include("pairs.support.urls")),
    path("", include("pairs.plans.urls")),
    path("", include("pairs.observatory.urls")),
    path("", include("pairs.events.urls")),
    path("", include("pairs.resources.urls")),
    path("", include("pairs.reporting.urls")),
    path("", include("pairs.privacy.urls")),
]

handler400 = "pairs.core.views.error_400"
handler403 = "pairs.core.views.error_403"
handler404 = "pairs.core.views.error_404"
handler500 = "pairs.core.views.error_500"
