"""The therapist frontend's booking form."""

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictCharField, StrictTimeField, parse_iso_date
from scheduling.services.bookings import LOCATION_MODES, THERAPY_TYPES

from .appointments import MAX_TEXT

_DATE_PART = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9:.]+(Z|[+-][0-9]{2}:?[0-9]{2})?)?$")


@extend_schema_field(
    {
        "type": "string",
        "pattern": _DATE_PART.pattern,
        "description": "The local date (YYYY-MM-DD); a datetime is read by its date part.",
    }
)
class BookingDateField(serializers.DateField):
    """The form sends the chosen day as ``new Date('2026-06-02').toISOString()``
    (``2026-06-02T00:00:00.000Z``): the date part is the day that was picked."""

    def to_internal_value(self, value):
        match = _DATE_PART.match(value) if isinstance(value, str) else None
        if match is None:
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return parse_iso_date(match.group(1))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from None


class TherapistAppointmentCreateInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="One of your assigned clients.")
    appointment_date = BookingDateField()
    start_time = StrictTimeField(help_text="Local wall-clock time, HH:MM or HH:MM:SS.")
    end_time = StrictTimeField(help_text="Local wall-clock time, after startTime.")
    therapy_type = serializers.ChoiceField(choices=sorted(THERAPY_TYPES), default="individual")
    location = serializers.ChoiceField(
        choices=sorted(LOCATION_MODES), default="in-person", help_text="How the session takes place."
    )
    notes = StrictCharField(max_length=MAX_TEXT, allow_blank=True, default="")
