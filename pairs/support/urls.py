from django.urls import path

from pairs.platforms.permissions import register_url_non_object, register_url_object

from . import selectors
from .views import groups, meetings, notes, persons, public, space, triage

app_name = "support"

register_url_object("support_request_id", selectors.support_request_exists_in)
register_url_object("person_id", selectors.person_exists_in)
register_url_object("consent_id", selectors.consent_exists_in)
register_url_object("meeting_id", selectors.meeting_exists_in)
register_url_object("place_id", selectors.place_exists_in)
register_url_object("group_id", selectors.group_exists_in)
register_url_object("group_session_id", selectors.group_session_exists_in)
register_url_object("note_id", selectors.note_exists_in)
register_url_non_object("platform_slug", "feed_token", "group_token")

urlpatterns = [
    # Public self-referral (views/public.py)
    path("demander-un-accompagnement/", public.request_choose, name="request_choose"),
    path("demander-un-accompagnement/<slug:platform_slug>/", public.request_form, name="request_form"),
    path("demander-un-accompagnement/<slug:platform_slug>/envoyee/", public.request_sent, name="request_sent"),
    # Triage (views/triage.py)
    path("accompagnement/demandes/", triage.queue, name="queue"),
    path("accompagnement/demandes/<int:support_request_id>/", triage.request_detail, name="request"),
    path("accompagnement/reglages/", triage.settings_edit, name="settings"),
    # People, consents, matching, closure (views/persons.py)
    path("accompagnement/personnes/", persons.person_list, name="people"),
    path("accompagnement/personnes/<int:person_id>/", persons.person_detail, name="person"),
    path("accompagnement/personnes/<int:person_id>/modifier/", persons.person_edit, name="person_edit"),
    path("accompagnement/personnes/<int:person_id>/pair-aidant/", persons.person_match, name="person_match"),
    path("accompagnement/personnes/<int:person_id>/consentements/", persons.consent_add, name="consent_add"),
    path("accompagnement/consentements/<int:consent_id>/retrait/", persons.consent_withdraw, name="consent_withdraw"),
    path("accompagnement/personnes/<int:person_id>/cloture/", persons.person_close, name="person_close"),
    path("accompagnement/personnes/<int:person_id>/espace/", persons.person_invite, name="person_invite"),
    # Meetings, places, the peer worker's agenda and calendar feed (views/meetings.py)
    path("accompagnement/personnes/<int:person_id>/rencontres/", meetings.meeting_new, name="meeting_new"),
    path("accompagnement/rencontres/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("mes-rencontres/", meetings.my_meetings, name="my_meetings"),
    path("mes-rencontres/agenda/", meetings.calendar_settings, name="calendar_settings"),
    path("agenda/<str:feed_token>.ics", meetings.calendar_feed, name="calendar_feed"),
    path("accompagnement/lieux/", meetings.place_list, name="places"),
    path("accompagnement/lieux/<int:place_id>/", meetings.place_edit, name="place"),
    # Groups (views/groups.py)
    path("accompagnement/groupes/", groups.group_list, name="groups"),
    path("accompagnement/groupes/<int:group_id>/", groups.group_detail, name="group"),
    path("accompagnement/seances/<int:group_session_id>/", groups.session_attendance, name="group_session"),
    path("groupes/inscription/<str:group_token>/", groups.group_register_public, name="group_register"),
    # Notes and mediation (views/notes.py)
    path("accompagnement/personnes/<int:person_id>/notes/", notes.note_add, name="note_add"),
    path("accompagnement/notes/<int:note_id>/", notes.note_detail, name="note"),
    path("accompagnement/personnes/<int:person_id>/mediations/", notes.mediation_add, name="mediation_add"),
    # The person's own space (views/space.py)
    path("mon-accompagnement/", space.my_support, name="my_support"),
    path(
        "mon-accompagnement/consentements/<int:consent_id>/retrait/",
        space.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("mon-accompagnement/changer-de-pair-aidant/", space.my_change_request, name="my_change_request"),
    path("mon-accompagnement/mes-donnees/", space.my_data, name="my_data"),
]
