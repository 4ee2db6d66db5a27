"""Serializers that describe the shared envelopes in the OpenAPI schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .case import camel_key


class CamelCaseFieldsMixin:
    """Names this serializer's fields on the wire in camelCase, as the seed spells the
    payloads of its endpoints (``currentMedications``, ``totalSessions``, SPEC §4).

    The fields are declared in Python's snake_case and read from the attributes of the same
    name; only the key they are written under changes. The schema sees the camelCase names,
    since drf-spectacular reads the same ``fields``. For output serializers only: request
    bodies arrive with snake_case keys (the JSON parser accepts both spellings)."""

    def get_fields(self):
        fields = {}
        for name, field in super().get_fields().items():
            wire_name = camel_key(name)
            if wire_name != name:
                if field.source is None:
                    field.source = name
                if isinstance(field, serializers.SerializerMethodField) and field.method_name is None:
                    field.method_name = f"get_{name}"
            fields[wire_name] = field
        return fields


# No enum: drf-spectacular would lift it into a component that collides with the success
# envelopes' ``[true]``.
@extend_schema_field({"type": "boolean", "description": "Always false."})
class FalseField(serializers.BooleanField):
    """``success`` of an error envelope: always false."""


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="Dotted camelCase path of the field (``goals.0.targetDate``), or null."
    )
    message = serializers.CharField()


class ErrorEnvelopeSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """Every error, from every layer, has this shape."""

    success = FalseField()
    status_code = serializers.IntegerField()
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. validation_error, not_found, conflict.")
    message = serializers.CharField()
    errors = ErrorItemSerializer(many=True)
    data = serializers.JSONField(
        required=False, help_text="Context for the error, e.g. the record that already exists."
    )


class MessageSerializer(serializers.Serializer):
    """Payload of actions that only confirm."""

    detail = serializers.CharField()
