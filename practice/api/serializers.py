"""Serializers that describe the shared envelopes in the OpenAPI schema."""

import copy
import enum
from importlib import import_module

from django.apps import apps
from django.utils.functional import lazy
from django.utils.module_loading import module_has_submodule
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


# For a ModelSerializer that answers on every request (the signed-in user): its fields
# are worked out from the model and Meta once per class, and each instance receives a deep
# copy of them, as DRF gives each instance a deep copy of the declared fields. Only for a
# serializer whose fields depend on nothing but its class, never on its context or
# instance. (A comment, not a docstring: drf-spectacular would describe the serializers
# that have none of their own with it.)
class FieldsBuiltOnceMixin:
    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)


def error_codes() -> list[str]:
    """Every code a client can receive: the members of the error-code enums in each installed
    app's ``errors`` module (found at run time, so practice imports no app above it)."""
    codes: list[str] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "errors"):
            continue
        module = import_module(f"{config.name}.errors")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.StrEnum) and value.__module__ == module.__name__:
                codes.extend(str(code) for code in value)
    return codes


def _code_help_text() -> str:
    return "Stable machine-readable code, one of: " + ", ".join(f"`{code}`" for code in error_codes()) + "."


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
    code = serializers.CharField(help_text=lazy(_code_help_text, str)())
    message = serializers.CharField()
    errors = ErrorItemSerializer(many=True)
    data = serializers.JSONField(
        required=False, help_text="Context for the error, e.g. the record that already exists."
    )


class MessageSerializer(serializers.Serializer):
    """Payload of actions that only confirm."""

    detail = serializers.CharField()
