import django_filters
from django.db.models import Q

from .models import Client


class ClientFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Client.Status.choices)
    therapistId = django_filters.UUIDFilter(field_name="therapists__id", label="Assigned therapist (user id).")
    search = django_filters.CharFilter(method="filter_search", max_length=100, label="Name or email contains.")

    class Meta:
        model = Client
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(email__icontains=value)
        )
