"""Session notes in and out, with the names the notes pages use (snake_case entity)."""

import uuid

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.models import SessionNote
from practice.api.fields import StrictBooleanField, StrictCharField, StrictDateField, StrictIntegerField
from practice.formats import utc_iso
from practice.models import person_full_name

TEXT_MAX = 20_000
ITEM_MAX = 1000
ITEMS_MAX = 50
HULPVRAAG_NAME_MAX = 200


class HulpvraagProgressSerializer(serializers.Serializer):
    """Progress on one of the client's requests for help (hulpvragen), in one session."""

    discussed = StrictBooleanField(default=False)
    progress = StrictIntegerField(min_value=0, max_value=100, default=0, help_text="0-100.")
    notes = StrictCharField(max_length=ITEM_MAX, allow_blank=True, default="")


class HulpvragenProgressField(serializers.DictField):
    """A map from the request for help's name to its progress. The names are the client's
    own text: at most 50 of them, each 1-200 characters without NUL."""

    def __init__(self, **kwargs):
        super().__init__(child=HulpvraagProgressSerializer(), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if len(data) > ITEMS_MAX:
                raise serializers.ValidationError(
                    gettext("At most %(value)s requests for help.") % {"value": ITEMS_MAX}
                )
            for name in data:
                if not name.strip() or len(name) > HULPVRAAG_NAME_MAX or "\x00" in name:
                    raise serializers.ValidationError(
                        gettext("Each name holds 1 to %(value)s characters (not only spaces, no NUL).")
                        % {"value": HULPVRAAG_NAME_MAX}
                    )
        return super().to_internal_value(data)


class ProgressIndicatorsInputSerializer(serializers.Serializer):
    hulpvragen_progress = HulpvragenProgressField(required=False)


@extend_schema_field(
    {"type": "string", "format": "uuid", "nullable": True, "description": "A UUID; empty or null for none."}
)
class OptionalUUIDField(serializers.Field):
    """A UUID, or nothing: ``""`` and ``null`` both mean none (the note form sends ``""``)."""

    default_error_messages = {"invalid": "Must be a valid UUID, an empty string or null."}

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return uuid.UUID(data)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return str(value) if value else None


def _text_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=ITEM_MAX),
        max_length=ITEMS_MAX,
        help_text=f"At most {ITEMS_MAX} entries of at most {ITEM_MAX} characters.",
        **kwargs,
    )


class SessionNoteInputSerializer(serializers.Serializer):
    """A note as the note form sends it. On PUT every field is optional (what is left out
    keeps its value); keys the form echoes from a read (``id``, ``client_name``, ...) are
    ignored."""

    client_id = serializers.UUIDField(help_text="One of your assigned clients. On PUT it cannot change.")
    session_id = OptionalUUIDField(required=False, help_text="One of your sessions with this client, or none.")
    appointment_id = OptionalUUIDField(
        required=False, help_text='One of your appointments with this client, or none (`""` means none).'
    )
    session_date = StrictDateField(help_text="Local date of the session (YYYY-MM-DD).")
    session_type = serializers.ChoiceField(
        choices=SessionNote.SessionType.choices, default=SessionNote.SessionType.REGULAR
    )
    duration = StrictIntegerField(min_value=1, max_value=480, default=50, help_text="Minutes.")
    mood_before = StrictIntegerField(min_value=1, max_value=5, allow_null=True, required=False, help_text="1-5.")
    mood_after = StrictIntegerField(min_value=1, max_value=5, allow_null=True, required=False, help_text="1-5.")
    key_points = _text_list(min_length=1)
    interventions = _text_list(default=list)
    homework = _text_list(default=list)
    progress_notes = StrictCharField(max_length=TEXT_MAX, allow_blank=True, default="")
    private_notes = StrictCharField(
        max_length=TEXT_MAX, allow_blank=True, default="", help_text="Shown to the author only."
    )
    tags = serializers.ListField(
        child=StrictCharField(max_length=50), max_length=ITEMS_MAX, default=list, help_text="At most 50."
    )
    is_important = StrictBooleanField(default=False)
    progress_indicators = ProgressIndicatorsInputSerializer(
        required=False, help_text="`hulpvragen_progress`: progress per request for help, by its name."
    )
    hulpvragen_progress = HulpvragenProgressField(
        required=False, help_text="The same map given directly; `progressIndicators` wins when both are sent."
    )

    def validate(self, attrs):
        indicators = attrs.pop("progress_indicators", None)
        if indicators and "hulpvragen_progress" in indicators:
            attrs["hulpvragen_progress"] = indicators["hulpvragen_progress"]
        return attrs


class SessionNoteSerializer(serializers.ModelSerializer):
    """A session note as the notes pages read it."""

    client_id = serializers.UUIDField(read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    therapist_id = serializers.UUIDField(read_only=True, help_text="The author.")
    session_id = serializers.UUIDField(read_only=True, allow_null=True)
    appointment_id = serializers.UUIDField(read_only=True, allow_null=True)
    key_points = serializers.ListField(child=serializers.CharField(), read_only=True)
    interventions = serializers.ListField(child=serializers.CharField(), read_only=True)
    homework = serializers.ListField(child=serializers.CharField(), read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    hulpvragen_progress = serializers.DictField(
        child=HulpvraagProgressSerializer(), read_only=True, help_text="Progress per request for help, by its name."
    )
    private_notes = serializers.SerializerMethodField(help_text="The author's private notes; empty for anyone else.")
    attachments = serializers.SerializerMethodField(help_text="Always empty: notes carry no files.")
    is_own = serializers.SerializerMethodField(help_text="Whether the caller wrote it (and so may edit or delete it).")

    class Meta:
        model = SessionNote
        fields = [
            "id",
            "client_id",
            "client_name",
            "therapist_id",
            "session_id",
            "appointment_id",
            "session_date",
            "session_type",
            "duration",
            "mood_before",
            "mood_after",
            "key_points",
            "interventions",
            "homework",
            "progress_notes",
            "private_notes",
            "attachments",
            "tags",
            "is_important",
            "hulpvragen_progress",
            "is_locked",
            "is_own",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _own(self, note: SessionNote) -> bool:
        return note.therapist_id == self.context["request"].user.pk

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_private_notes(self, note: SessionNote) -> str:
        return note.private_notes if self._own(note) else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), max_length=0))
    def get_attachments(self, note: SessionNote) -> list[str]:
        return []

    @extend_schema_field(serializers.BooleanField())
    def get_is_own(self, note: SessionNote) -> bool:
        return self._own(note)


def session_note_list_item(row: dict, *, viewer_id) -> dict:
    """``SessionNoteSerializer``'s payload, built from a row of ``session_note_list_rows``
    for the notes list (a test keeps the two identical); ``viewer_id``: who reads it
    (private notes are the author's only)."""
    own = row["therapist_id"] == viewer_id
    session_id, appointment_id = row["session_id"], row["appointment_id"]
    return {
        "id": str(row["id"]),
        "client_id": str(row["client_id"]),
        "client_name": person_full_name(row["client__first_name"], row["client__last_name"]),
        "therapist_id": str(row["therapist_id"]),
        "session_id": str(session_id) if session_id else None,
        "appointment_id": str(appointment_id) if appointment_id else None,
        "session_date": row["session_date"].isoformat(),
        "session_type": row["session_type"],
        "duration": row["duration"],
        "mood_before": row["mood_before"],
        "mood_after": row["mood_after"],
        "key_points": [str(item) for item in row["key_points"]],
        "interventions": [str(item) for item in row["interventions"]],
        "homework": [str(item) for item in row["homework"]],
        "progress_notes": row["progress_notes"],
        "private_notes": row["private_notes"] if own else "",
        "attachments": [],
        "tags": [str(tag) for tag in row["tags"]],
        "is_important": row["is_important"],
        "hulpvragen_progress": {
            str(name): {
                "discussed": progress.get("discussed", False),
                "progress": progress.get("progress", 0),
                "notes": progress.get("notes", ""),
            }
            for name, progress in row["hulpvragen_progress"].items()
        },
        "is_locked": row["is_locked"],
        "is_own": own,
        "version": row["version"],
        "created_at": utc_iso(row["created_at"]),
        "updated_at": utc_iso(row["updated_at"]),
    }
