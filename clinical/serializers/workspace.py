"""The therapist workspace's client list (the frontend's ``Client`` type, snake_case) and
client profile (the profile page's own camelCase shape)."""

import zoneinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.serializers import CamelCaseFieldsMixin
from practice.formats import utc_iso
from practice.models import Client, person_full_name

from .surveys import InstrumentScoresSerializer


def _local_date(timezone_name: str, value) -> str | None:
    """``value``'s date in the client's practice, whose time zone the workspace selectors
    annotate (``practice_timezone``)."""
    return value.astimezone(zoneinfo.ZoneInfo(timezone_name)).date().isoformat() if value else None


def _phone(value) -> str:
    return str(value) if value else ""


class TherapistClientSerializer(serializers.ModelSerializer):
    """One of the therapist's clients with the figures the client list shows. Session
    figures count the caller's own sessions."""

    user_id = serializers.SerializerMethodField(help_text="The client's portal account; null (no client portal yet).")
    full_name = serializers.CharField(read_only=True)
    phone = serializers.SerializerMethodField(help_text="E.164, or empty.")
    hulpvragen = serializers.ListField(
        source="help_requests", child=serializers.CharField(), read_only=True, help_text="Requests for help."
    )
    therapist_id = serializers.SerializerMethodField(help_text="The calling therapist (user id).")
    assigned_therapist_id = serializers.SerializerMethodField(help_text="The calling therapist (user id).")
    total_sessions = serializers.IntegerField(read_only=True, help_text="Your completed sessions with the client.")
    last_session = serializers.SerializerMethodField(help_text="Local date of your latest completed session.")
    next_session = serializers.DateTimeField(
        source="next_session_at", read_only=True, allow_null=True, help_text="Start of your next appointment."
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "user_id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "date_of_birth",
            "status",
            "urgency_level",
            "hulpvragen",
            "profile_photo_url",
            "therapist_id",
            "assigned_therapist_id",
            "total_sessions",
            "last_session",
            "next_session",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_user_id(self, client: Client) -> None:
        return None

    @extend_schema_field(serializers.CharField())
    def get_phone(self, client: Client) -> str:
        return _phone(client.phone)

    @extend_schema_field(serializers.UUIDField())
    def get_therapist_id(self, client: Client) -> str:
        return str(self.context["request"].user.pk)

    get_assigned_therapist_id = get_therapist_id

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_last_session(self, client: Client) -> str | None:
        return _local_date(client.practice_timezone, client.last_session_at)


class TherapistClientProfileSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """The client profile page: contact, emergency contact, active goals, medical history
    and the therapist's session figures with the client."""

    id = serializers.UUIDField()
    name = serializers.CharField(source="full_name")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField(allow_blank=True)
    phone = serializers.SerializerMethodField(help_text="E.164, or empty.")
    date_of_birth = serializers.DateField(allow_null=True)
    gender = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Client.Status.choices)
    urgency_level = serializers.ChoiceField(choices=Client.Urgency.choices)
    profile_photo_url = serializers.CharField(allow_blank=True)
    emergency_contact_name = serializers.SerializerMethodField()
    emergency_contact_phone = serializers.SerializerMethodField(help_text="E.164, or empty.")
    emergency_contact_relationship = serializers.SerializerMethodField()
    intake_completed = serializers.BooleanField(help_text="An intake appointment has taken place.")
    session_count = serializers.IntegerField(source="total_sessions", help_text="Your completed sessions.")
    last_session_date = serializers.SerializerMethodField(help_text="Local date of your latest completed session.")
    next_appointment_date = serializers.DateTimeField(source="next_session_at", allow_null=True)
    therapy_goals = serializers.SerializerMethodField(help_text="The client's active therapy goals.")
    hulpvragen = serializers.ListField(source="help_requests", child=serializers.CharField())
    medical_history = serializers.SerializerMethodField(help_text="Medical conditions, comma-separated.")
    medications = serializers.SerializerMethodField(help_text="Current medications, comma-separated.")
    allergies = serializers.SerializerMethodField(help_text="Allergies, comma-separated.")
    previous_therapy = serializers.SerializerMethodField()
    previous_therapy_details = serializers.SerializerMethodField()
    outcome_scores = InstrumentScoresSerializer(many=True, help_text="PHQ-9 and GAD-7 scores over time.")

    @staticmethod
    def _history(client: Client):
        return getattr(client, "medical_history", None)

    @staticmethod
    def _contact(client: Client):
        return getattr(client, "emergency_contact", None)

    @extend_schema_field(serializers.CharField())
    def get_phone(self, client: Client) -> str:
        return _phone(client.phone)

    @extend_schema_field(serializers.CharField())
    def get_emergency_contact_name(self, client: Client) -> str:
        contact = self._contact(client)
        return contact.name if contact else ""

    @extend_schema_field(serializers.CharField())
    def get_emergency_contact_phone(self, client: Client) -> str:
        contact = self._contact(client)
        return _phone(contact.phone) if contact else ""

    @extend_schema_field(serializers.CharField())
    def get_emergency_contact_relationship(self, client: Client) -> str:
        contact = self._contact(client)
        return contact.relationship if contact else ""

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_last_session_date(self, client: Client) -> str | None:
        return _local_date(client.practice_timezone, client.last_session_at)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_therapy_goals(self, client: Client) -> list[str]:
        return [goal.goal for goal in client.active_goals]

    @extend_schema_field(serializers.CharField())
    def get_medical_history(self, client: Client) -> str:
        history = self._history(client)
        return ", ".join(history.medical_conditions) if history else ""

    @extend_schema_field(serializers.CharField())
    def get_medications(self, client: Client) -> str:
        history = self._history(client)
        return ", ".join(history.current_medications) if history else ""

    @extend_schema_field(serializers.CharField())
    def get_allergies(self, client: Client) -> str:
        history = self._history(client)
        return ", ".join(history.allergies) if history else ""

    @extend_schema_field(serializers.BooleanField())
    def get_previous_therapy(self, client: Client) -> bool:
        history = self._history(client)
        return bool(history and history.previous_therapy)

    @extend_schema_field(serializers.CharField())
    def get_previous_therapy_details(self, client: Client) -> str:
        history = self._history(client)
        return history.previous_therapy_details if history else ""


def therapist_client_list_item(row: dict, *, therapist_id) -> dict:
    """``TherapistClientSerializer``'s payload, built from a row of
    ``therapist_client_list_rows`` for the client list (a test keeps the two identical).
    The phone is the stored E.164 text the selector annotates: parsing 50 numbers into
    PhoneNumbers costs several milliseconds."""
    therapist = str(therapist_id)
    date_of_birth = row["date_of_birth"]
    return {
        "id": str(row["id"]),
        "user_id": None,
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "full_name": person_full_name(row["first_name"], row["last_name"]),
        "email": row["email"],
        "phone": row["phone_text"] or "",
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
        "status": row["status"],
        "urgency_level": row["urgency_level"],
        "hulpvragen": [str(item) for item in row["help_requests"]],
        "profile_photo_url": row["profile_photo_url"],
        "therapist_id": therapist,
        "assigned_therapist_id": therapist,
        "total_sessions": row["total_sessions"],
        "last_session": _local_date(row["practice_timezone"], row["last_session_at"]),
        "next_session": utc_iso(row["next_session_at"]),
        "created_at": utc_iso(row["created_at"]),
        "updated_at": utc_iso(row["updated_at"]),
    }
