import django_filters
from django.db.models import Q

from clinical.models import Session, SessionNote
from practice.api.filters import FilterSet, LocalDateRangeFilterSet


class SessionFilter(LocalDateRangeFilterSet):
    date_field = "started_at"

    status = django_filters.ChoiceFilter(choices=Session.Status.choices)
    clientId = django_filters.UUIDFilter(field_name="client_id", label="The client.")

    class Meta:
        model = Session
        fields: list[str] = []


class SessionNoteFilter(FilterSet):
    clientId = django_filters.UUIDFilter(field_name="client_id", label="The client.")
    sessionType = django_filters.ChoiceFilter(
        field_name="session_type", choices=SessionNote.SessionType.choices, label="Only notes of this session type."
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, label="Text in the client's name or the progress notes."
    )

    class Meta:
        model = SessionNote
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(progress_notes__icontains=value)
            | Q(client__first_name__icontains=value)
            | Q(client__last_name__icontains=value)
        )
