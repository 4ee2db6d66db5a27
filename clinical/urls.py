from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.records import MedicalHistoryView, TherapyGoalViewSet

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("clients/<uuid:client_id>/therapy-goals", TherapyGoalViewSet, basename="client-therapy-goal")

urlpatterns = [
    path("clients/<uuid:client_id>/medical-history", MedicalHistoryView.as_view(), name="client-medical-history"),
    *router.urls,
]
