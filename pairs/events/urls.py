from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import agenda, attendance, circle, manage, registration

app_name = "events"

register_url_object("event_id", selectors.event_exists_in)
register_url_object("programme_id", selectors.programme_exists_in)
register_url_object("member_id", selectors.member_exists_in)
register_url_non_object("platform_slug", "event_token", "registration_token", "member_token")

urlpatterns = [
    # The coordination's events and programmes; the peer worker's own (views/manage.py)
    path("evenements/", manage.event_list, name="list"),
    path("evenements/nouveau/", manage.event_create, name="create"),
    path("evenements/<int:event_id>/", manage.event_detail, name="detail"),
    path("evenements/<int:event_id>/modifier/", manage.event_edit, name="edit"),
    path("evenements/programmes/", manage.programme_list, name="programmes"),
    path("evenements/programmes/nouveau/", manage.programme_create, name="programme_create"),
    path("evenements/programmes/<int:programme_id>/", manage.programme_detail, name="programme"),
    path("mes-animations/", manage.my_events, name="mine"),
    # Agendas: by role when signed in, public with its calendar feed (views/agenda.py)
    path("evenements/agenda/", agenda.agenda, name="agenda"),
    path("agenda-public/<slug:platform_slug>/", agenda.public_agenda, name="public_agenda"),
    path("agenda-public/<slug:platform_slug>/agenda.ics", agenda.public_feed, name="public_feed"),
    # An event's page and registration without account; the registrant's link (views/registration.py)
    path("e/<str:event_token>/", registration.event_page, name="event_page"),
    path("inscription/<str:registration_token>/", registration.registration_manage, name="registration"),
    # Attendance on a phone, certificates (views/attendance.py)
    path("evenements/<int:event_id>/appel/", attendance.attendance, name="attendance"),
    path("inscription/<str:registration_token>/attestation.pdf", attendance.certificate, name="certificate"),
    # The intervision circle (views/circle.py)
    path("cercle/", circle.member_list, name="circle"),
    path("cercle/membres/<int:member_id>/", circle.member_detail, name="circle_member"),
    path("cercle/rejoindre/<slug:platform_slug>/", circle.join, name="circle_join"),
    path("cercle/quitter/<str:member_token>/", circle.leave, name="circle_leave"),
]
