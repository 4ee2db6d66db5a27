from django.urls import path
from rest_framework.routers import SimpleRouter

from scheduling.views.appointments import AppointmentViewSet
from scheduling.views.availability import TherapistAvailabilityView
from scheduling.views.no_show import AppointmentNoShowView
from scheduling.views.recurring import AppointmentRecurringView
from scheduling.views.workspace import TherapistAppointmentCreateView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("appointments", AppointmentViewSet, basename="appointment")

urlpatterns = [
    path("appointments/<uuid:pk>/recurring", AppointmentRecurringView.as_view(), name="appointment-recurring"),
    *router.urls,
    path("therapist/availability", TherapistAvailabilityView.as_view(), name="therapist-availability"),
    path("appointments/<uuid:pk>/no-show-policy", AppointmentNoShowView.as_view(), name="appointment-no-show"),
    path("therapist/appointments", TherapistAppointmentCreateView.as_view(), name="therapist-appointment-create"),
]
