import zoneinfo
from datetime import datetime

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.models import MoodReading, Session
from practice.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from practice.api.schema import NO_NUL_PATTERN, NOT_BLANK_PATTERN
from practice.formats import utc_iso
from practice.models import Client, person_full_name
from scheduling.models.appointments import duration_minutes as minutes_between

MOOD = {"min_value": 1, "max_value": 10}


def _short_list(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=200), max_length=50, help_text=f"{help_text} At most 50.", **kwargs
    )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "maxLength": 10_000, "pattern": NO_NUL_PATTERN},
            {
                "type": "array",
                "items": {"type": "string", "maxLength": 200, "pattern": NOT_BLANK_PATTERN},
                "maxItems": 50,
            },
        ],
        "description": "A list, or one text whose lines are the items (as the session page sends it).",
    }
)
class TextOrListField(serializers.Field):
    """A short list of texts, also given as one text: each non-blank line is an item."""

    default_error_messages = {"invalid": "A text or a list of texts is required."}

    def __init__(self, **kwargs):
        self.list_field = _short_list("")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > 10_000:
                self.fail("invalid")
            data = [line.strip() for line in data.splitlines() if line.strip()]
        elif not isinstance(data, list):
            self.fail("invalid")
        return self.list_field.run_validation(data)


LOCATIONS = {"office": "office", "online": "online", "phone": "phone", "in-person": "office", "video": "online"}


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
    date = serializers.SerializerMethodField(help_text="As sessionDate (the history tab's name).")
    duration = serializers.SerializerMethodField(
        help_text="Minutes: the actual length once ended, the planned length of its appointment before."
    )
    duration_minutes = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Actual start-to-end minutes; null while in progress."
    )
    homework = serializers.CharField(source="homework_assigned", read_only=True, help_text="Homework assigned.")
    location = serializers.ChoiceField(
        choices=Session.Location.choices, allow_blank=True, read_only=True, help_text="Empty when not recorded."
    )
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
            "date",
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
            "client_present",
            "location",
            "initial_notes",
            "summary",
            "next_session_goals",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_session_date(self, session: Session) -> str:
        return session.started_at.astimezone(session.practice.tzinfo).date().isoformat()

    get_date = get_session_date

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_duration(self, session: Session) -> int | None:
        if session.duration_minutes is not None:
            return session.duration_minutes
        appointment = session.appointment
        return appointment.duration_minutes if appointment is not None else None

    @extend_schema_field(serializers.CharField())
    def get_start_time(self, session: Session) -> str:
        return session.started_at.astimezone(session.practice.tzinfo).time().isoformat("seconds")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_end_time(self, session: Session) -> str | None:
        if session.ended_at is None:
            return None
        return session.ended_at.astimezone(session.practice.tzinfo).time().isoformat("seconds")


class SessionStartInputSerializer(serializers.Serializer):
    """The seed's names (``initialMood``, ``clientConcerns``) and the session page's
    (``moodStart``, ``concerns``, goals as one text) are both accepted."""

    appointment_id = serializers.UUIDField(help_text="One of your scheduled or confirmed appointments.")
    initial_mood = StrictIntegerField(required=False, allow_null=True, help_text="1-10.", **MOOD)
    mood_start = StrictIntegerField(required=False, allow_null=True, help_text="1-10 (as initialMood).", **MOOD)
    session_goals = TextOrListField(required=False, help_text="Goals for this session (after the template's).")
    client_concerns = TextOrListField(required=False, help_text="What the client brings up.")
    concerns = TextOrListField(required=False, help_text="As clientConcerns.")
    template_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="A practice-wide template or one of your own."
    )
    client_present = StrictBooleanField(required=False, allow_null=True)
    location = serializers.ChoiceField(
        choices=sorted(LOCATIONS),
        required=False,
        allow_blank=True,
        help_text="in-person and video are read as office and online.",
    )
    initial_notes = StrictCharField(max_length=20_000, allow_blank=True, required=False)

    def validate(self, attrs):
        # One name per value for the service, whichever spelling was sent.
        mood_start = attrs.pop("mood_start", None)
        if attrs.get("initial_mood") is None:
            attrs["initial_mood"] = mood_start
        concerns = attrs.pop("concerns", None)
        attrs.setdefault("client_concerns", concerns or [])
        attrs.setdefault("session_goals", [])
        if attrs.get("location"):
            attrs["location"] = LOCATIONS[attrs["location"]]
        return attrs


class SessionProgressInputSerializer(serializers.Serializer):
    #: The schema states it (practice.api.schema): at least one of the fields.
    min_properties = 1

    progress_notes = StrictCharField(max_length=20_000, allow_blank=True, required=False)
    goals_discussed = StrictCharField(max_length=5_000, allow_blank=True, required=False)
    client_mood_current = StrictIntegerField(
        required=False, help_text="1-10; each value also appends a timestamped mood reading.", **MOOD
    )
    techniques_used = _short_list("Replaces the list.", required=False)
    interventions_applied = _short_list("Replaces the list.", required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(gettext("Send at least one progress field."))
        return attrs


class SessionEndInputSerializer(serializers.Serializer):
    """The seed's names (``moodEnd``, ``homeworkAssigned``) and the session page's
    (``clientMoodEnd``, ``homework``) are both accepted."""

    mood_end = StrictIntegerField(required=False, allow_null=True, help_text="1-10.", **MOOD)
    client_mood_end = StrictIntegerField(required=False, allow_null=True, help_text="1-10 (as moodEnd).", **MOOD)
    progress_notes = StrictCharField(max_length=20_000, allow_blank=True, required=False)
    homework_assigned = StrictCharField(max_length=5_000, allow_blank=True, required=False)
    homework = StrictCharField(max_length=5_000, allow_blank=True, required=False, help_text="As homeworkAssigned.")
    summary = StrictCharField(max_length=20_000, allow_blank=True, required=False)
    next_session_goals = StrictCharField(max_length=5_000, allow_blank=True, required=False)
    goals_discussed = StrictCharField(max_length=5_000, allow_blank=True, required=False)
    techniques_used = _short_list("Replaces the list.", required=False)

    def validate(self, attrs):
        client_mood_end = attrs.pop("client_mood_end", None)
        if attrs.get("mood_end") is None and client_mood_end is not None:
            attrs["mood_end"] = client_mood_end
        homework = attrs.pop("homework", None)
        if homework is not None and "homework_assigned" not in attrs:
            attrs["homework_assigned"] = homework
        return attrs


def session_list_item(row: dict, *, timeline: list[tuple[int, datetime]]) -> dict:
    """``SessionSerializer``'s payload, built from a row of ``session_list_rows`` for the
    session lists (model instances and the nested serializers cost several times more per
    item); ``timeline``: the session's mood readings, oldest first
    (``session_mood_timelines``). ``SessionSerializer`` stays the contract and the schema;
    a test keeps the two identical field for field."""
    tz = zoneinfo.ZoneInfo(row["practice__timezone"])
    started_at, ended_at = row["started_at"], row["ended_at"]
    started = started_at.astimezone(tz)
    ended = ended_at.astimezone(tz) if ended_at is not None else None
    # As Session.duration_minutes and, before the end, Appointment.duration_minutes.
    duration_minutes = minutes_between(started_at, ended_at) if ended_at is not None else None
    duration = duration_minutes
    if duration is None and row["appointment__starts_at"] is not None:
        duration = minutes_between(row["appointment__starts_at"], row["appointment__ends_at"])
    local_date = started.date().isoformat()
    client_id = str(row["client_id"])
    client_name = person_full_name(row["client__first_name"], row["client__last_name"])
    appointment_id, template_id = row["appointment_id"], row["template_id"]
    return {
        "id": str(row["id"]),
        "appointment_id": str(appointment_id) if appointment_id else None,
        "therapist_id": str(row["therapist_id"]),
        "client_id": client_id,
        "client": {
            "id": client_id,
            "first_name": row["client__first_name"],
            "last_name": row["client__last_name"],
            "full_name": client_name,
        },
        "client_name": client_name,
        "template_id": str(template_id) if template_id else None,
        "status": row["status"],
        "session_date": local_date,
        "date": local_date,
        "start_time": started.time().isoformat("seconds"),
        "end_time": ended.time().isoformat("seconds") if ended is not None else None,
        "started_at": utc_iso(started_at),
        "ended_at": utc_iso(ended_at),
        "duration": duration,
        "duration_minutes": duration_minutes,
        "mood_start": row["mood_start"],
        "mood_current": row["mood_current"],
        "mood_end": row["mood_end"],
        "mood_readings": [{"mood": mood, "recorded_at": utc_iso(recorded_at)} for mood, recorded_at in timeline],
        "session_goals": [str(goal) for goal in row["session_goals"]],
        "client_concerns": [str(concern) for concern in row["client_concerns"]],
        "progress_notes": row["progress_notes"],
        "goals_discussed": row["goals_discussed"],
        "techniques_used": [str(item) for item in row["techniques_used"]],
        "interventions_applied": [str(item) for item in row["interventions_applied"]],
        "homework_assigned": row["homework_assigned"],
        "homework": row["homework_assigned"],
        "client_present": row["client_present"],
        "location": row["location"],
        "initial_notes": row["initial_notes"],
        "summary": row["summary"],
        "next_session_goals": row["next_session_goals"],
        "created_at": utc_iso(row["created_at"]),
        "updated_at": utc_iso(row["updated_at"]),
    }
