import zoneinfo
from datetime import datetime, tzinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import (
    LocalDateTimeField,
    PhoneNumberTextField,
    StrictBooleanField,
    StrictCharField,
    StrictDateField,
    StrictTimeField,
)
from practice.formats import utc_iso
from practice.models import Client, EmergencyContact, person_full_name
from practice.serializers import TherapistRefSerializer
from scheduling.models import Appointment
from scheduling.models.appointments import duration_minutes

MAX_TEXT = 10_000

#: The frontend's four appointment types (its ``Appointment.type``), from ours; the exact
#: type stays in ``appointment_type``.
FRONTEND_TYPES: dict[str, str] = {
    Appointment.Type.INTAKE: "intake",
    Appointment.Type.INDIVIDUAL: "regular",
    Appointment.Type.RELATION: "regular",
    Appointment.Type.GROUP: "regular",
    Appointment.Type.FAMILY: "regular",
    Appointment.Type.CRISIS: "emergency",
    Appointment.Type.FOLLOW_UP: "follow_up",
    Appointment.Type.ASSESSMENT: "intake",
}
FRONTEND_TYPE_CHOICES = ["intake", "regular", "emergency", "follow_up"]


def local_parts(starts_at: datetime, ends_at: datetime, tz: tzinfo) -> tuple[str, str, str]:
    """An appointment's local date, start and end time of day in its practice's timezone
    (``YYYY-MM-DD``, ``HH:MM:SS``), as the frontend's calendar reads them."""
    start = starts_at.astimezone(tz)
    end = ends_at.astimezone(tz)
    return start.date().isoformat(), start.time().isoformat("seconds"), end.time().isoformat("seconds")


def _local_parts(appointment: Appointment) -> tuple[str, str, str]:
    return local_parts(appointment.starts_at, appointment.ends_at, appointment.practice.tzinfo)


class AppointmentEmergencyContactSerializer(serializers.ModelSerializer):
    phone = PhoneNumberTextField(read_only=True, help_text="E.164.")
    alternate_phone = PhoneNumberTextField(read_only=True, allow_blank=True, help_text="E.164, or empty.")

    class Meta:
        model = EmergencyContact
        fields = ["name", "relationship", "phone", "alternate_phone", "email"]
        read_only_fields = fields


class AppointmentClientSerializer(serializers.Serializer):
    """The client as the calendar shows them (built from the appointment and the list's
    annotations, so no query per item)."""

    id = serializers.UUIDField(source="client.id", read_only=True)
    first_name = serializers.CharField(source="client.first_name", read_only=True)
    last_name = serializers.CharField(source="client.last_name", read_only=True)
    full_name = serializers.CharField(source="client.full_name", read_only=True)
    email = serializers.EmailField(source="client.email", read_only=True, allow_blank=True)
    phone = PhoneNumberTextField(source="client.phone", read_only=True, allow_blank=True, help_text="E.164, or empty.")
    date_of_birth = serializers.DateField(source="client.date_of_birth", read_only=True, allow_null=True)
    status = serializers.ChoiceField(source="client.status", choices=Client.Status.choices, read_only=True)
    profile_photo_url = serializers.CharField(source="client.profile_photo_url", read_only=True, allow_blank=True)
    total_sessions = serializers.IntegerField(
        source="client_total_sessions",
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text=(
            "The client's completed sessions with you (a colleague's with the same client are not counted); "
            "null for practice staff, who read no sessions."
        ),
    )
    last_session_date = serializers.SerializerMethodField(
        help_text="Local date of the client's latest completed session with you, or null (always null for staff)."
    )
    emergency_contact = AppointmentEmergencyContactSerializer(
        source="client.emergency_contact", read_only=True, allow_null=True
    )

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_last_session_date(self, appointment: Appointment):
        started = getattr(appointment, "client_last_session_at", None)
        return started.astimezone(appointment.practice.tzinfo).date().isoformat() if started else None


class AppointmentPreparationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["preparation_notes", "review_previous_session", "focus_areas", "prepared_at"]
        read_only_fields = fields

    focus_areas = serializers.ListField(child=serializers.CharField(), read_only=True)


class AppointmentSerializer(serializers.ModelSerializer):
    """An appointment as the frontend's ``Appointment`` type reads it: the local date and
    times of day next to the absolute ``starts_at``/``ends_at``, and the client inline."""

    therapist_id = serializers.UUIDField(read_only=True)
    therapist = TherapistRefSerializer(read_only=True)
    client_id = serializers.UUIDField(read_only=True)
    client = AppointmentClientSerializer(source="*", read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    client_first_name = serializers.CharField(source="client.first_name", read_only=True)
    client_last_name = serializers.CharField(source="client.last_name", read_only=True)
    therapy_type = serializers.CharField(
        source="appointment_type", read_only=True, help_text="As appointmentType (the session page's name)."
    )
    appointment_date = serializers.SerializerMethodField(help_text="Local date in the practice's timezone.")
    start_time = serializers.SerializerMethodField(help_text="Local start time of day (HH:MM:SS).")
    end_time = serializers.SerializerMethodField(help_text="Local end time of day (HH:MM:SS).")
    duration = serializers.IntegerField(source="duration_minutes", read_only=True, help_text="Minutes.")
    duration_minutes = serializers.IntegerField(read_only=True)
    type = serializers.SerializerMethodField(
        help_text="The frontend's appointment type; `appointmentType` is the exact one."
    )
    preparation_notes = serializers.SerializerMethodField(
        help_text="The therapist's preparation notes; empty for anyone else."
    )
    focus_areas = serializers.SerializerMethodField(help_text="The therapist's focus areas; empty for anyone else.")
    cancelled_by = serializers.UUIDField(source="cancelled_by_id", read_only=True, allow_null=True)
    session_id = serializers.UUIDField(
        source="started_session_id",
        read_only=True,
        allow_null=True,
        help_text="The clinical session started for this appointment (to resume it), or null.",
    )
    preparation = serializers.SerializerMethodField(
        help_text="The therapist's preparation notes; null for staff (they belong to the therapist)."
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "therapist_id",
            "therapist",
            "client_id",
            "client",
            "client_name",
            "client_first_name",
            "client_last_name",
            "appointment_date",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
            "duration",
            "duration_minutes",
            "type",
            "appointment_type",
            "therapy_type",
            "mode",
            "location",
            "status",
            "session_id",
            "notes",
            "cancellation_reason",
            "cancelled_at",
            "cancelled_by",
            "preparation_notes",
            "focus_areas",
            "preparation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField())
    def get_appointment_date(self, appointment: Appointment) -> str:
        return _local_parts(appointment)[0]

    @extend_schema_field(serializers.CharField())
    def get_start_time(self, appointment: Appointment) -> str:
        return _local_parts(appointment)[1]

    @extend_schema_field(serializers.CharField())
    def get_end_time(self, appointment: Appointment) -> str:
        return _local_parts(appointment)[2]

    @extend_schema_field(serializers.ChoiceField(choices=FRONTEND_TYPE_CHOICES))
    def get_type(self, appointment: Appointment) -> str:
        return FRONTEND_TYPES[appointment.appointment_type]

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_preparation_notes(self, appointment: Appointment) -> str:
        return appointment.preparation_notes if appointment.preparation_visible else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_focus_areas(self, appointment: Appointment) -> list[str]:
        return [str(area) for area in appointment.focus_areas] if appointment.preparation_visible else []

    @extend_schema_field(AppointmentPreparationSerializer(allow_null=True))
    def get_preparation(self, appointment: Appointment):
        if not appointment.preparation_visible:
            return None
        return AppointmentPreparationSerializer(appointment).data


class AppointmentCreatedSerializer(AppointmentSerializer):
    """The appointment just booked, flagged when it lies outside the therapist's
    availability (booking there is allowed)."""

    outside_availability = serializers.BooleanField(
        read_only=True, help_text="True when the therapist's availability does not cover this time."
    )

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "outside_availability"]
        read_only_fields = fields


class AppointmentCreateInputSerializer(serializers.Serializer):
    therapist_id = serializers.UUIDField(
        required=False, help_text="The therapist (user id). Therapists may leave it out: they book for themselves."
    )
    client_id = serializers.UUIDField(help_text="A client assigned to the therapist.")
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField(help_text="After startsAt, at most 12 hours later.")
    appointment_type = serializers.ChoiceField(choices=Appointment.Type.choices, default=Appointment.Type.INDIVIDUAL)
    mode = serializers.ChoiceField(choices=Appointment.Mode.choices, default=Appointment.Mode.IN_PERSON)
    location = StrictCharField(max_length=200, allow_blank=True, default="")
    notes = StrictCharField(max_length=MAX_TEXT, allow_blank=True, default="")


class AppointmentUpdateInputSerializer(serializers.Serializer):
    """What the appointment pages send: any of the fields, the others keep their value."""

    starts_at = LocalDateTimeField(required=False)
    ends_at = LocalDateTimeField(required=False, help_text="After startsAt, at most 12 hours later.")
    appointment_date = StrictDateField(required=False, help_text="Move to this local date.")
    start_time = StrictTimeField(required=False, help_text="Move to this local start time.")
    end_time = StrictTimeField(required=False, help_text="Move to this local end time.")
    appointment_type = serializers.ChoiceField(choices=Appointment.Type.choices, required=False)
    mode = serializers.ChoiceField(choices=Appointment.Mode.choices, required=False)
    location = StrictCharField(max_length=200, allow_blank=True, required=False)
    notes = StrictCharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    status = serializers.ChoiceField(
        choices=["scheduled", "confirmed", "cancelled", "no_show", "rescheduled"],
        required=False,
        help_text=(
            "`confirmed`/`scheduled` change the status; `cancelled` cancels (reason from cancellationReason "
            "or notes); `no_show` records a no-show with the practice's policy defaults (reason from notes); "
            "`rescheduled` moves the booking to appointmentDate/startTime/endTime and keeps it scheduled."
        ),
    )
    cancellation_reason = StrictCharField(max_length=1000, required=False, allow_blank=True)
    cancelled_by = StrictCharField(
        max_length=50, required=False, allow_blank=True, help_text="Ignored: the caller is who cancels."
    )
    reschedule_reason = StrictCharField(max_length=1000, required=False, allow_blank=True)
    notify_client = StrictBooleanField(
        required=False, help_text="For a no-show: email the client (default: the policy's setting)."
    )


class AppointmentCancelInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=1000, help_text="Why the appointment is cancelled (required).")


def appointment_list_item(row: dict) -> dict:
    """``AppointmentSerializer``'s payload, built from a row of ``appointment_list_rows``.

    The calendar list is the hottest read of the API; building plain dicts from plain rows
    costs a fraction of model instances and nested serializers per item.
    ``AppointmentSerializer`` stays the contract (and the schema); a test keeps the two
    identical field for field."""
    tz = zoneinfo.ZoneInfo(row["practice__timezone"])
    starts_at, ends_at = row["starts_at"], row["ends_at"]
    local_date, start_time, end_time = local_parts(starts_at, ends_at, tz)
    client_id = str(row["client_id"])
    client_name = person_full_name(row["client__first_name"], row["client__last_name"])
    last_session_at = row["client_last_session_at"]
    duration = duration_minutes(starts_at, ends_at)
    own = row["preparation_visible"]
    focus_areas = [str(area) for area in row["focus_areas"]] if own else []
    preparation = None
    if own:
        preparation = {
            "preparation_notes": row["preparation_notes"],
            "review_previous_session": row["review_previous_session"],
            "focus_areas": focus_areas,
            "prepared_at": utc_iso(row["prepared_at"]),
        }
    contact = None
    if row["client__emergency_contact__id"] is not None:
        contact = {
            "name": row["client__emergency_contact__name"],
            "relationship": row["client__emergency_contact__relationship"],
            "phone": row["contact_phone_text"] or "",
            "alternate_phone": row["contact_alternate_phone_text"] or "",
            "email": row["client__emergency_contact__email"],
        }
    date_of_birth = row["client__date_of_birth"]
    started_session_id = row["started_session_id"]
    cancelled_by_id = row["cancelled_by_id"]
    return {
        "id": str(row["id"]),
        "therapist_id": str(row["therapist_id"]),
        "therapist": {
            "id": str(row["therapist_id"]),
            "first_name": row["therapist__first_name"],
            "last_name": row["therapist__last_name"],
            "full_name": person_full_name(row["therapist__first_name"], row["therapist__last_name"]),
        },
        "client_id": client_id,
        "client": {
            "id": client_id,
            "first_name": row["client__first_name"],
            "last_name": row["client__last_name"],
            "full_name": client_name,
            "email": row["client__email"],
            "phone": row["client_phone_text"] or "",
            "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
            "status": row["client__status"],
            "profile_photo_url": row["client__profile_photo_url"],
            "total_sessions": row["client_total_sessions"],
            "last_session_date": last_session_at.astimezone(tz).date().isoformat() if last_session_at else None,
            "emergency_contact": contact,
        },
        "client_name": client_name,
        "client_first_name": row["client__first_name"],
        "client_last_name": row["client__last_name"],
        "appointment_date": local_date,
        "start_time": start_time,
        "end_time": end_time,
        "starts_at": utc_iso(starts_at),
        "ends_at": utc_iso(ends_at),
        "duration": duration,
        "duration_minutes": duration,
        "type": FRONTEND_TYPES[row["appointment_type"]],
        "appointment_type": row["appointment_type"],
        "therapy_type": row["appointment_type"],
        "mode": row["mode"],
        "location": row["location"],
        "status": row["status"],
        "session_id": str(started_session_id) if started_session_id else None,
        "notes": row["notes"],
        "cancellation_reason": row["cancellation_reason"],
        "cancelled_at": utc_iso(row["cancelled_at"]),
        "cancelled_by": str(cancelled_by_id) if cancelled_by_id else None,
        "preparation_notes": row["preparation_notes"] if own else "",
        "focus_areas": focus_areas,
        "preparation": preparation,
        "created_at": utc_iso(row["created_at"]),
        "updated_at": utc_iso(row["updated_at"]),
    }
