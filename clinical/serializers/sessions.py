from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.models import MoodReading, Session
from practice.api.fields import StrictCharField, StrictIntegerField
from practice.models import Client

MOOD = {"min_value": 1, "max_value": 10}


def _short_list(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=200), max_length=50, help_text=f"{help_text} At most 50.", **kwargs
    )


class SessionMoodReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MoodReading
        fields = ["mood", "recorded_at"]
        read_only_fields = fields


class SessionClientSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Client
        fields = ["id", "first_name", "last_name", "full_name"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):
    """A session as the frontend's ``Session`` type and the session page read it: local date
    and times of day next to the absolute ``started_at``/``ended_at``."""

    appointment_id = serializers.UUIDField(read_only=True, allow_null=True)
    therapist_id = serializers.UUIDField(read_only=True)
    template_id = serializers.UUIDField(read_only=True, allow_null=True)
    client_id = serializers.UUIDField(read_only=True)
    client = SessionClientSerializer(read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    session_date = serializers.SerializerMethodField(help_text="Local date the session started.")
    start_time = serializers.SerializerMethodField(help_text="Local start time of day (HH:MM:SS).")
    end_time = serializers.SerializerMethodField(help_text="Local end time of day (HH:MM:SS); null while in progress.")
    duration = serializers.IntegerField(
        source="duration_minutes", read_only=True, allow_null=True, help_text="Minutes; null while in progress."
    )
    duration_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Actual start-to-end minutes; null while in progress."
    )
    homework = serializers.CharField(source="homework_assigned", read_only=True, help_text="Homework assigned.")
    mood_readings = SessionMoodReadingSerializer(
        many=True, read_only=True, help_text="The mood timeline, oldest first."
    )
    session_goals = serializers.ListField(child=serializers.CharField(), read_only=True)
    client_concerns = serializers.ListField(child=serializers.CharField(), read_only=True)
    techniques_used = serializers.ListField(child=serializers.CharField(), read_only=True)
    interventions_applied = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "appointment_id",
            "therapist_id",
            "client_id",
            "client",
            "client_name",
            "template_id",
            "status",
            "session_date",
            "start_time",
            "end_time",
            "started_at",
            "ended_at",
            "duration",
            "duration_minutes",
            "mood_start",
            "mood_current",
            "mood_end",
            "mood_readings",
            "session_goals",
            "client_concerns",
            "progress_notes",
            "goals_discussed",
            "techniques_used",
            "interventions_applied",
            "homework_assigned",
            "homework",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_session_date(self, session: Session) -> str:
        return session.started_at.astimezone(session.practice.tzinfo).date().isoformat()

    @extend_schema_field(serializers.CharField())
    def get_start_time(self, session: Session) -> str:
        return session.started_at.astimezone(session.practice.tzinfo).time().isoformat("seconds")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_end_time(self, session: Session) -> str | None:
        if session.ended_at is None:
            return None
        return session.ended_at.astimezone(session.practice.tzinfo).time().isoformat("seconds")


class SessionStartInputSerializer(serializers.Serializer):
    appointment_id = serializers.UUIDField(help_text="One of your scheduled or confirmed appointments.")
    initial_mood = StrictIntegerField(required=False, allow_null=True, help_text="1-10.", **MOOD)
    session_goals = _short_list("Goals for this session (added after the template's).", default=list)
    client_concerns = _short_list("What the client brings up.", default=list)
    template_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="A practice-wide template or one of your own."
    )


class SessionProgressInputSerializer(serializers.Serializer):
    progress_notes = StrictCharField(max_length=20_000, allow_blank=True, required=False)
    goals_discussed = StrictCharField(max_length=5_000, allow_blank=True, required=False)
    client_mood_current = StrictIntegerField(
        required=False, help_text="1-10; each value also appends a timestamped mood reading.", **MOOD
    )
    techniques_used = _short_list("Replaces the list.", required=False)
    interventions_applied = _short_list("Replaces the list.", required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one progress field.")
        return attrs


class SessionEndInputSerializer(serializers.Serializer):
    mood_end = StrictIntegerField(required=False, allow_null=True, help_text="1-10.", **MOOD)
    progress_notes = StrictCharField(max_length=20_000, allow_blank=True, required=False)
    homework_assigned = StrictCharField(max_length=5_000, allow_blank=True, required=False)
