"""Preparing an appointment: the therapist's notes and, on request, the digest of the
client's previous session."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField
from practice.api.serializers import CamelCaseFieldsMixin
from scheduling.serializers.appointments import MAX_TEXT


class AppointmentPreparationInputSerializer(serializers.Serializer):
    preparation_notes = StrictCharField(max_length=MAX_TEXT, allow_blank=True, default="")
    review_previous_session = StrictBooleanField(default=False)
    focus_areas = serializers.ListField(
        child=StrictCharField(max_length=200), max_length=20, default=list, help_text="At most 20."
    )


class PreparationPreviousSessionSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """Digest of the client's previous completed session with this therapist."""

    id = serializers.UUIDField()
    date = serializers.SerializerMethodField(help_text="Local date the session took place.")
    goals_discussed = serializers.CharField(allow_blank=True)
    techniques_used = serializers.ListField(child=serializers.CharField())
    homework_assigned = serializers.CharField(allow_blank=True)
    mood_start = serializers.IntegerField(allow_null=True)
    mood_end = serializers.IntegerField(allow_null=True)

    @extend_schema_field(serializers.DateField())
    def get_date(self, session) -> str:
        return session.started_at.astimezone(session.practice.tzinfo).date().isoformat()


class AppointmentPreparationResultSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    appointment_id = serializers.UUIDField()
    preparation_notes = serializers.CharField(allow_blank=True)
    review_previous_session = serializers.BooleanField()
    focus_areas = serializers.ListField(child=serializers.CharField())
    prepared_at = serializers.DateTimeField()
    previous_session = PreparationPreviousSessionSerializer(
        allow_null=True, help_text="Present when reviewPreviousSession is true; null when there is none."
    )
