from django.urls import path

from pairs.platforms.permissions import register_url_object

from .selectors import objects
from .views import activity, career, interns, profiles

app_name = "peers"

register_url_object("profile_id", objects.profile_exists_in)
register_url_object("entry_id", objects.activity_entry_exists_in)
register_url_object("step_id", objects.onboarding_step_exists_in)
register_url_object("review_id", objects.career_review_exists_in)
register_url_object("session_id", objects.supervision_session_exists_in)
register_url_object("training_id", objects.training_exists_in)
register_url_object("exception_id", objects.availability_exception_exists_in)
register_url_object("intern_id", objects.intern_exists_in)


urlpatterns = [
    # DU interns (pairs/peers/views/interns.py)
    path("vivier/stagiaires/", interns.intern_list, name="interns"),
    path("vivier/stagiaires/nouveau/", interns.intern_create, name="intern_create"),
    path("vivier/stagiaires/<int:intern_id>/", interns.intern_detail, name="intern"),
    path("mes-stagiaires/", interns.my_interns, name="my_interns"),
    # Profiles, availability (pairs/peers/views/profiles.py)
    path("vivier/", profiles.pool_list, name="pool"),
    path("vivier/ajouter/", profiles.peer_create, name="create"),
    path("vivier/disponibles/", profiles.free_search, name="free_search"),
    path("vivier/<int:profile_id>/", profiles.peer_detail, name="detail"),
    path("vivier/<int:profile_id>/contrat/", profiles.peer_edit_contract, name="edit_contract"),
    path("vivier/<int:profile_id>/photo/", profiles.peer_photo, name="photo"),
    path("ma-fiche/", profiles.my_profile_edit, name="my_profile"),
    path("mes-disponibilites/", profiles.my_availability, name="my_availability"),
    path(
        "mes-disponibilites/absences/<int:exception_id>/supprimer/",
        profiles.my_absence_delete,
        name="my_absence_delete",
    ),
    path("vivier/parametres/", profiles.pool_settings, name="settings"),
    # Activity log, workload (pairs/peers/views/activity.py)
    path("mon-activite/", activity.my_week, name="my_week"),
    path("mon-activite/ajouter/", activity.my_entry_add, name="my_entry_add"),
    path("mon-activite/semaine-type/", activity.my_week_prefill, name="my_week_prefill"),
    path("mon-activite/<int:entry_id>/", activity.my_entry_edit, name="my_entry_edit"),
    path("mes-indicateurs/", activity.my_indicators, name="my_indicators"),
    path("vivier/<int:profile_id>/activite/", activity.peer_activity, name="peer_activity"),
    path("activite/<int:entry_id>/corriger/", activity.entry_correct, name="entry_correct"),
    path("charge-de-travail/", activity.workload, name="workload"),
    # Onboarding, training, supervision, career reviews (pairs/peers/views/career.py)
    path("vivier/<int:profile_id>/integration/", career.onboarding_detail, name="onboarding"),
    path("integration/etapes/<int:step_id>/", career.onboarding_step_toggle, name="onboarding_step"),
    path("vivier/parcours-type/", career.onboarding_template, name="onboarding_template"),
    path("vivier/<int:profile_id>/formations/", career.trainings, name="trainings"),
    path("formations/<int:training_id>/supprimer/", career.training_delete, name="training_delete"),
    path("supervisions/", career.supervision_list, name="supervisions"),
    path("supervisions/<int:session_id>/", career.supervision_detail, name="supervision"),
    path("vivier/<int:profile_id>/entretiens/", career.career_reviews, name="career_reviews"),
    path("entretiens/<int:review_id>/", career.career_review_edit, name="career_review"),
]
