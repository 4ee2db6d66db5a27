import django_filters
from django.utils import timezone

from practice.api.filters import LocalDateRangeFilterSet, StrictDateFilter, local_midnight
from scheduling.models import Appointment


class AppointmentFilter(LocalDateRangeFilterSet):
    """``startDate``/``endDate`` or one local ``date``. Without any of them the list starts
    today (practice-local midnight): what the calendar and the appointments page show
    first is today and the weeks ahead, not the oldest page of years of history."""

    date_field = "starts_at"

    date = StrictDateFilter(method="filter_date", label="Only this local date (YYYY-MM-DD, practice time zone).")
    status = django_filters.ChoiceFilter(choices=Appointment.Status.choices)
    therapistId = django_filters.UUIDFilter(field_name="therapist_id", label="The therapist (user id).")
    clientId = django_filters.UUIDFilter(field_name="client_id", label="The client.")

    class Meta:
        model = Appointment
        fields: list[str] = []

    def filter_date(self, queryset, name, value):
        return self.filter_end_date(self.filter_start_date(queryset, name, value), name, value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if all(data.get(name) is None for name in ("startDate", "endDate", "date")):
            today = timezone.now().astimezone(self._tzinfo()).date()
            queryset = queryset.filter(starts_at__gte=local_midnight(today, self._tzinfo()))
        return queryset
