"""Input fields that take only the JSON type the schema promises.

DRF coerces: ``CharField`` turns ``12`` into ``"12"``, ``IntegerField`` and ``DecimalField``
take ``"12"``, ``BooleanField`` takes ``0``, ``"yes"`` and ``"off"``. The API answers a 400
for a wrong type instead (SPEC §10), so request bodies use these. Query parameters arrive
as strings and keep DRF's own fields."""

from rest_framework import serializers

from practice.formats import phone_text


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": "A whole number is required."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A JSON number (money is a number with two decimals, never a string)."""

    default_error_messages = {"invalid": "A number is required."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class PhoneNumberTextField(serializers.CharField):
    """Output only: a stored phone number as E.164 text, or empty."""

    def to_representation(self, value):
        return phone_text(value)
