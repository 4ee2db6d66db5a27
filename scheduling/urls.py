from django.urls import path
from rest_framework.routers import SimpleRouter

from scheduling.views.appointments import AppointmentViewSet
from scheduling.views.no_show import AppointmentNoShowView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("appointments", AppointmentViewSet, basename="appointment")

urlpatterns = [
    *router.urls,
    path("appointments/<uuid:pk>/no-show-policy", AppointmentNoShowView.as_view(), name="appointment-no-show"),
]
