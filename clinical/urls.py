from django.urls import path
from rest_framework.routers import SimpleRouter

from clinical.views.homework import ChallengeViewSet, ResourceViewSet
from clinical.views.notes import SessionNoteViewSet
from clinical.views.preparation import AppointmentPreparationView
from clinical.views.records import MedicalHistoryView, TherapyGoalViewSet
from clinical.views.sessions import SessionViewSet
from clinical.views.surveys import ClientOutcomeScoresView, SurveyViewSet
from clinical.views.templates import TherapistSessionTemplatesView
from clinical.views.workspace import TherapistClientViewSet, TherapistSessionViewSet

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("sessions", SessionViewSet, basename="session")
router.register("therapist/session-notes", SessionNoteViewSet, basename="therapist-session-note")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("resources", ResourceViewSet, basename="resource")
router.register("clients/<uuid:client_id>/therapy-goals", TherapyGoalViewSet, basename="client-therapy-goal")
router.register("therapist/clients", TherapistClientViewSet, basename="therapist-client")

therapist_sessions = TherapistSessionViewSet.as_view({"get": "list"})

urlpatterns = [
    # Under scheduling's /appointments/ path: the preparation's payload includes a clinical read.
    path("appointments/<uuid:pk>/preparation", AppointmentPreparationView.as_view(), name="appointment-preparation"),
    path("clients/<uuid:client_id>/medical-history", MedicalHistoryView.as_view(), name="client-medical-history"),
    path("clients/<uuid:client_id>/outcome-scores", ClientOutcomeScoresView.as_view(), name="client-outcome-scores"),
    path(
        "therapists/<uuid:therapist_id>/session-templates",
        TherapistSessionTemplatesView.as_view(),
        name="therapist-session-templates",
    ),
    path("therapist/sessions", therapist_sessions, name="therapist-session-list"),
    *router.urls,
]
