from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
