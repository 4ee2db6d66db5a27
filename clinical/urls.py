from django.urls import path
from rest_framework.routers import SimpleRouter

from clinical.views.records import MedicalHistoryView, TherapyGoalViewSet
from clinical.views.sessions import SessionViewSet
from clinical.views.templates import TherapistSessionTemplatesView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("sessions", SessionViewSet, basename="session")
router.register("clients/<uuid:client_id>/therapy-goals", TherapyGoalViewSet, basename="client-therapy-goal")

urlpatterns = [
    path("clients/<uuid:client_id>/medical-history", MedicalHistoryView.as_view(), name="client-medical-history"),
    path(
        "therapists/<uuid:therapist_id>/session-templates",
        TherapistSessionTemplatesView.as_view(),
        name="therapist-session-templates",
    ),
    *router.urls,
]
