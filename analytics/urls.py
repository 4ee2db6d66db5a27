from django.urls import path

from .views import ClientSessionSummaryView, TherapistDashboardView, TherapistSessionStatsView

urlpatterns = [
    path("therapists/<uuid:pk>/session-stats", TherapistSessionStatsView.as_view(), name="therapist-session-stats"),
    path("clients/<uuid:pk>/session-summary", ClientSessionSummaryView.as_view(), name="client-session-summary"),
    path("therapist/dashboard", TherapistDashboardView.as_view(), name="therapist-dashboard"),
]
