"""The availability page's document, in and out. Its keys are camelCase on the wire
(``regularHours``, ``isAvailable``, ``sessionDuration``, ...), as the page reads and
writes the object whole; times of day are ``HH:MM`` in the practice's time zone."""

import re
from datetime import time

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField, StrictDateField, StrictIntegerField
from practice.api.serializers import CamelCaseFieldsMixin
from scheduling.models import Weekday
from scheduling.selectors.availability import Schedule

DAY_NAMES = [label for _, label in Weekday.choices]
SLOTS_MAX = 12
EXCEPTIONS_MAX = 366
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "09:00"})
class LocalTimeField(StrictCharField):
    """A wall-clock time of day, ``HH:MM`` (or ``HH:MM:SS``), without a time zone."""

    default_error_messages = {"invalid_time": "A time of day as HH:MM is required."}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not re.fullmatch(TIME_PATTERN, text):
            self.fail("invalid_time")
        return time.fromisoformat(text)


def hhmm(value: time) -> str:
    return value.strftime("%H:%M") if not value.second else value.isoformat("seconds")


class AvailabilitySlotInputSerializer(serializers.Serializer):
    start = LocalTimeField()
    end = LocalTimeField(help_text="After start, on the same day.")
    is_break = StrictBooleanField(default=False, help_text="A break inside the working hours.")

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [gettext("The end must be after the start.")]})
        return attrs


class AvailabilityDayInputSerializer(serializers.Serializer):
    day = serializers.ChoiceField(choices=DAY_NAMES)
    is_available = StrictBooleanField(default=True)
    slots = AvailabilitySlotInputSerializer(many=True, max_length=SLOTS_MAX, help_text=f"At most {SLOTS_MAX}.")

    def validate(self, attrs):
        attrs["weekday"] = DAY_NAMES.index(attrs.pop("day"))
        return attrs


class AvailabilityExceptionSlotInputSerializer(serializers.Serializer):
    start = LocalTimeField()
    end = LocalTimeField(help_text="After start, on the same day.")

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [gettext("The end must be after the start.")]})
        return attrs


class AvailabilityExceptionInputSerializer(serializers.Serializer):
    date = StrictDateField(help_text="Local date (YYYY-MM-DD).")
    reason = StrictCharField(max_length=500)
    slots = AvailabilityExceptionSlotInputSerializer(
        many=True,
        max_length=SLOTS_MAX,
        required=False,
        default=list,
        help_text="The hours available that day instead of the weekly ones; none means unavailable all day.",
    )


class AvailabilityInputSerializer(serializers.Serializer):
    """The whole availability, replacing what was stored. Weekdays left out of
    ``regularHours`` are unavailable; preferences left out take their defaults."""

    regular_hours = AvailabilityDayInputSerializer(many=True, max_length=7, help_text="One entry per weekday.")
    session_duration = StrictIntegerField(min_value=5, max_value=480, default=60, help_text="Minutes.")
    buffer_time = StrictIntegerField(min_value=0, max_value=240, default=15, help_text="Minutes.")
    max_daily_appointments = StrictIntegerField(min_value=1, max_value=50, default=8)
    auto_confirm_appointments = StrictBooleanField(default=True)
    block_emergency_slots = StrictBooleanField(default=False)
    vacation_mode = StrictBooleanField(default=False)
    vacation_start = StrictDateField(required=False, allow_null=True, default=None)
    vacation_end = StrictDateField(required=False, allow_null=True, default=None)
    vacation_message = StrictCharField(max_length=1000, allow_blank=True, default="")
    exceptions = AvailabilityExceptionInputSerializer(
        many=True, max_length=EXCEPTIONS_MAX, default=list, help_text="One per date."
    )

    def validate_regular_hours(self, days):
        weekdays = [day["weekday"] for day in days]
        if len(set(weekdays)) != len(weekdays):
            raise serializers.ValidationError(gettext("Each weekday at most once."))
        return days


class AvailabilitySlotSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM, practice time zone.")
    end = serializers.CharField(help_text="HH:MM, practice time zone.")
    is_break = serializers.BooleanField()


class AvailabilityDaySerializer(CamelCaseFieldsMixin, serializers.Serializer):
    day = serializers.ChoiceField(choices=DAY_NAMES)
    is_available = serializers.BooleanField()
    slots = AvailabilitySlotSerializer(many=True)


class AvailabilityExceptionSlotSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    start = serializers.CharField(help_text="HH:MM, practice time zone.")
    end = serializers.CharField(help_text="HH:MM, practice time zone.")


class AvailabilityExceptionSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()
    slots = AvailabilityExceptionSlotSerializer(many=True, help_text="Empty: unavailable all day.")


class AvailabilitySerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """The availability page's object (camelCase keys)."""

    regular_hours = AvailabilityDaySerializer(many=True, help_text="Monday to Sunday, seven entries.")
    session_duration = serializers.IntegerField(help_text="Minutes.")
    buffer_time = serializers.IntegerField(help_text="Minutes.")
    max_daily_appointments = serializers.IntegerField()
    auto_confirm_appointments = serializers.BooleanField()
    block_emergency_slots = serializers.BooleanField()
    vacation_mode = serializers.BooleanField()
    vacation_start = serializers.DateField(allow_null=True)
    vacation_end = serializers.DateField(allow_null=True)
    vacation_message = serializers.CharField(allow_blank=True)
    exceptions = AvailabilityExceptionSerializer(many=True)
    timezone = serializers.CharField(help_text="The practice's time zone, in which every time here is meant.")
    is_default = serializers.BooleanField(help_text="True until the therapist saves their own.")
    updated_at = serializers.DateTimeField(allow_null=True)


def availability_payload(schedule: Schedule, *, timezone: str) -> dict:
    """The serializer's input, built from a schedule (stored or default)."""
    availability = schedule.availability
    return {
        "regular_hours": [
            {
                "day": DAY_NAMES[day.weekday],
                "is_available": day.is_available,
                "slots": [{"start": hhmm(s.start), "end": hhmm(s.end), "is_break": s.is_break} for s in day.slots],
            }
            for day in schedule.days
        ],
        **{
            name: getattr(availability, name)
            for name in (
                "session_duration",
                "buffer_time",
                "max_daily_appointments",
                "auto_confirm_appointments",
                "block_emergency_slots",
                "vacation_mode",
                "vacation_start",
                "vacation_end",
                "vacation_message",
            )
        },
        "exceptions": [
            {
                "date": exception.date,
                "reason": exception.reason,
                "slots": [{"start": hhmm(s.start), "end": hhmm(s.end)} for s in exception.slots],
            }
            for exception in schedule.exceptions
        ],
        "timezone": timezone,
        "is_default": schedule.is_default,
        "updated_at": availability.updated_at,
    }
