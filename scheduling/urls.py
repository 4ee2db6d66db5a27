from django.urls import path
from rest_framework.routers import SimpleRouter

from scheduling.views.recurring import AppointmentRecurringView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)

urlpatterns = [
    path("appointments/<uuid:pk>/recurring", AppointmentRecurringView.as_view(), name="appointment-recurring"),
    *router.urls,
]
