import django_filters
from django.db.models import Q

from .api.filters import FilterSet, TrueFalseFilter
from .models import Client, Message, UserNotification


class ClientFilter(FilterSet):
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


class UserNotificationFilter(FilterSet):
    unreadOnly = TrueFalseFilter(method="filter_unread_only", label="true: only unread notifications.")
    isRead = TrueFalseFilter(method="filter_is_read", label="Only read (true) or unread (false) ones.")

    class Meta:
        model = UserNotification
        fields: list[str] = []

    def filter_is_read(self, queryset, name, value):
        return queryset.filter(is_read=value)

    def filter_unread_only(self, queryset, name, value):
        return queryset.filter(is_read=False) if value else queryset


class MessageFilter(FilterSet):
    folder = django_filters.ChoiceFilter(
        choices=[("inbox", "Received"), ("sent", "Sent"), ("all", "Both")],
        method="filter_folder",
        label="Received (inbox), sent, or both (all, the default).",
    )
    unreadOnly = TrueFalseFilter(method="filter_unread_only", label="true: only unread received ones.")

    class Meta:
        model = Message
        fields: list[str] = []

    def filter_folder(self, queryset, name, value):
        actor = self.request.user
        if value == "inbox":
            return queryset.filter(recipient_id=actor.pk)
        if value == "sent":
            return queryset.filter(sender_id=actor.pk)
        return queryset

    def filter_unread_only(self, queryset, name, value):
        return queryset.filter(recipient_id=self.request.user.pk, read_at__isnull=True) if value else queryset
