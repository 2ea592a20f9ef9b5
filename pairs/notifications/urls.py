from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("demo/boite-d-envoi/", views.demo_outbox, name="demo_outbox"),
]
