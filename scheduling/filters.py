import django_filters

from practice.api.filters import LocalDateRangeFilterSet
from scheduling.models import Appointment


class AppointmentFilter(LocalDateRangeFilterSet):
    date_field = "starts_at"

    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    therapistId = django_filters.UUIDFilter(field_name="therapist_id", label="The therapist (user id).")
    clientId = django_filters.UUIDFilter(field_name="client_id", label="The client.")

    class Meta:
        model = Appointment
        fields: list[str] = []
