import django_filters

from clinical.models import Session
from practice.api.filters import LocalDateRangeFilterSet


class SessionFilter(LocalDateRangeFilterSet):
    date_field = "started_at"

    status = django_filters.ChoiceFilter(choices=Session.Status.choices)
    clientId = django_filters.UUIDFilter(field_name="client_id", label="The client.")

    class Meta:
        model = Session
        fields: list[str] = []
