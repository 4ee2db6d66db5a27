"""Input and output of a client's access log (``GET /api/clients/{id}/access-log``)."""

from rest_framework import serializers

from .api.fields import StrictDateField
from .models import AuditEvent, User


class AccessLogQuerySerializer(serializers.Serializer):
    """``?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD`` (after camelCase conversion)."""

    start_date = StrictDateField(required=False)
    end_date = StrictDateField(required=False)

    def to_internal_value(self, data):
        # An empty parameter (a cleared date picker) means "not given".
        return super().to_internal_value({key: value for key, value in data.items() if value != ""})


class AccessLogActorSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="The user's id; null for an entry without a person.")
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices, allow_blank=True)
    role_label = serializers.CharField(help_text="The role in the response's language.")


class AccessLogEntrySerializer(serializers.Serializer):
    """One line of the access log: one person's reads or changes of one part of the
    record on one day, folded (``count``), with the first and last time."""

    date = serializers.DateField(help_text="The day (practice time zone).")
    first_at = serializers.DateTimeField(help_text="The first time that day.")
    last_at = serializers.DateTimeField(help_text="The last time that day.")
    actor = AccessLogActorSerializer()
    record_type = serializers.ChoiceField(choices=AuditEvent.RecordType.choices)
    record_label = serializers.CharField(help_text="The part of the record, in the response's language.")
    action = serializers.ChoiceField(choices=AuditEvent.Action.choices)
    action_label = serializers.CharField(help_text="The action, in the response's language.")
    count = serializers.IntegerField(min_value=1, help_text="How many times that day.")
