"""Serializers that describe the shared envelopes in the OpenAPI schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


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


class ErrorEnvelopeSerializer(serializers.Serializer):
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
