"""Input fields that take only the JSON type the schema promises.

DRF coerces: ``CharField`` turns ``12`` into ``"12"``, ``IntegerField`` and ``DecimalField``
take ``"12"``, ``BooleanField`` takes ``0``, ``"yes"`` and ``"off"``. The API answers a 400
for a wrong type instead (SPEC §10), so request bodies use these. Query parameters arrive
as strings and keep DRF's own fields."""

import re
from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.formats import phone_text

from .request import current_request

# Dates the API takes: YYYY-MM-DD with ASCII digits, in the years 1900-2999 (far enough for
# any real calendar, near enough that converting to UTC never overflows). Python's own
# parsers also take 2027-1-1, 20270101, 2027-W01-1 and digits of any script.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATE_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
# ISO 8601 / RFC 3339 datetimes: seconds and fraction optional, offset optional (none means
# the practice's wall-clock time, SPEC §4).
ISO_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$"
)
DATETIME_PATTERN = (
    r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]+)?)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
)
# Times of day as the API writes and reads them: HH:MM, or HH:MM:SS.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
DATE_MESSAGES = {
    "invalid": gettext_lazy("Date has wrong format. Use YYYY-MM-DD."),
    "out_of_range": format_lazy(gettext_lazy("Must be a date between {0} and {1}."), EARLIEST_YEAR, LATEST_YEAR),
}


def parse_iso_date(value) -> date:
    """``value`` as a date if it is ``YYYY-MM-DD`` of a real day between 1900 and 2999, else
    ``ValueError`` with the message to show."""
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError(DATE_MESSAGES["invalid"])
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(DATE_MESSAGES["invalid"]) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(DATE_MESSAGES["out_of_range"])
    return day


def practice_tzinfo(context: dict | None = None):
    """The time zone of the signed-in user's practice: from the serializer's request when it
    has one, else from the request being handled; None outside a request."""
    request = (context or {}).get("request") or current_request()
    practice = getattr(getattr(request, "user", None), "practice", None)
    return practice.tzinfo if practice is not None else None


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": gettext_lazy("Not a valid string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": gettext_lazy("A whole number is required.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A JSON number (money is a number with two decimals, never a string)."""

    default_error_messages = {"invalid": gettext_lazy("A number is required.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Must be true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class StrictDateField(serializers.DateField):
    """A local date, ``YYYY-MM-DD`` only, between 1900 and 2999."""

    def to_internal_value(self, value):
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc), code="invalid") from None


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN})
class StrictTimeField(serializers.TimeField):
    """A wall-clock time of day, ``HH:MM`` or ``HH:MM:SS`` (ASCII digits)."""

    default_error_messages = {"invalid": gettext_lazy("Time has wrong format. Use HH:MM or HH:MM:SS.")}

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.match(TIME_PATTERN, value):
            self.fail("invalid")
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN})
class LocalDateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime. With an offset it is that instant; without one it is wall-clock
    time in the practice's time zone (SPEC §4), and a wall time that does not exist there
    (inside the spring-forward gap) is refused. An ambiguous one (the autumn hour that
    repeats) is its first occurrence."""

    default_error_messages = {
        "invalid": gettext_lazy("Datetime has wrong format. Use ISO 8601: YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]."),
        "nonexistent": gettext_lazy("{value} does not exist in the practice's time zone ({zone}): the clocks skip it."),
        "out_of_range": format_lazy(
            gettext_lazy("Must be a datetime between {0} and {1}."), EARLIEST_YEAR, LATEST_YEAR
        ),
    }

    def to_internal_value(self, value):
        if isinstance(value, datetime):
            return super().to_internal_value(value)
        if not isinstance(value, str) or not ISO_DATETIME.match(value):
            self.fail("invalid")
        try:
            parsed = datetime.fromisoformat(value.upper())
        except ValueError:
            self.fail("invalid")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            self.fail("out_of_range")
        if parsed.tzinfo is not None:
            return parsed
        zone = practice_tzinfo(self.context) or UTC
        local = parsed.replace(tzinfo=zone)
        if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != parsed:
            self.fail("nonexistent", value=value, zone=str(zone))
        return local


class StrictDateFormField(forms.DateField):
    """The form field of ``StrictDateFilter``: ``YYYY-MM-DD`` only, between 1900 and 2999."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as exc:
            raise DjangoValidationError(str(exc), code="invalid") from None


class PhoneNumberTextField(serializers.CharField):
    """Output only: a stored phone number as E.164 text, or empty."""

    def to_representation(self, value):
        return phone_text(value)
