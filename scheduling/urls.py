from django.urls import path
from rest_framework.routers import SimpleRouter

from scheduling.views.no_show import AppointmentNoShowView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)

urlpatterns = [
    *router.urls,
    path("appointments/<uuid:pk>/no-show-policy", AppointmentNoShowView.as_view(), name="appointment-no-show"),
]
