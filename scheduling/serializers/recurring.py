"""Input and output of ``/api/appointments/{id}/recurring``."""

from rest_framework import serializers

from practice.api.fields import StrictDateField, StrictTimeField
from practice.api.serializers import CamelCaseFieldsMixin
from scheduling.models import Appointment, RecurringSeries


class RecurringSeriesInputSerializer(serializers.Serializer):
    pattern = serializers.ChoiceField(choices=RecurringSeries.Pattern.choices)
    end_date = StrictDateField(help_text="Last local date of the series (inclusive), YYYY-MM-DD.")
    exceptions = serializers.ListField(
        child=StrictDateField(),
        required=False,
        default=list,
        max_length=400,
        help_text="Local dates (YYYY-MM-DD) of the series to skip; each must be a date the pattern produces.",
    )


class RecurringSeriesSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    first_appointment_id = serializers.UUIDField(read_only=True)
    therapist_id = serializers.UUIDField(read_only=True)
    client_id = serializers.UUIDField(read_only=True)
    exceptions = serializers.ListField(child=serializers.DateField(), read_only=True)
    local_start_time = StrictTimeField(
        read_only=True, format="%H:%M", help_text="Wall-clock start in the series' timezone."
    )

    class Meta:
        model = RecurringSeries
        fields = [
            "id",
            "first_appointment_id",
            "therapist_id",
            "client_id",
            "pattern",
            "start_date",
            "end_date",
            "exceptions",
            "timezone",
            "local_start_time",
            "duration_minutes",
            "generated_until",
            "is_active",
        ]
        read_only_fields = fields


class RecurringOccurrenceSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "occurrence_date", "starts_at", "ends_at", "status"]
        read_only_fields = fields


class RecurringConflictSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    occurrence_date = serializers.DateField()
    starts_at = serializers.DateTimeField()
    conflicting_appointment_id = serializers.UUIDField()


class RecurringSeriesOutcomeSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    series = RecurringSeriesSerializer()
    occurrences = RecurringOccurrenceSerializer(many=True, help_text="The occurrences this request created.")
    conflicts = RecurringConflictSerializer(
        many=True, help_text="Occurrences not created because the therapist already has an appointment then."
    )


class RecurringSeriesStopSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    series = RecurringSeriesSerializer()
    cancelled_count = serializers.IntegerField(help_text="Future untouched occurrences this request cancelled.")
