"""OpenAPI generation that describes the real responses: payloads wrapped in the success
envelope, lists in the paginated envelope, and the error envelope for every error status
an operation can answer."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from .case import camel_key
from .serializers import ErrorEnvelopeSerializer

_ERROR_DESCRIPTIONS = {
    "400": "Invalid input (validation_error, parse_error, invalid_request).",
    "401": "Missing, invalid or expired credentials.",
    "403": "Visible to the caller, but the action is not allowed.",
    "404": "Does not exist or is not visible to the caller.",
    "405": "Method not allowed.",
    "409": "Conflicts with the current state.",
    "413": "Request body too large.",
    "415": "Unsupported media type (send application/json).",
    "429": "Too many requests; see Retry-After.",
}


# Text never contains NUL: DRF rejects it in bodies, the middleware in query strings. Text
# that may not be blank must hold more than whitespace, because DRF trims it first (with
# Python's idea of whitespace, which is wider than a regex's \s).
_NUL = "\\u0000"
_WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())
NO_NUL_PATTERN = f"^[^{_NUL}]*$"
# For text that may be blank: drf-spectacular offers the empty string as a separate oneOf
# branch, which this pattern must not match too.
NON_EMPTY_NO_NUL_PATTERN = f"^[^{_NUL}]+$"
NOT_BLANK_PATTERN = f"^[^{_NUL}]*[^{_NUL}{_WHITESPACE}][^{_NUL}]*$"


class PracticeJWTScheme(SimpleJWTScheme):
    """Our bearer authentication is simplejwt's (plus the logout denylist): the same scheme."""

    target_class = "practice.api.authentication.JWTAuthentication"


_FORMATS = {"email", "uri"}


def _blank_or(schema: dict) -> dict:
    keep = {key: schema.pop(key) for key in ("readOnly", "description", "nullable") if key in schema}
    return {"oneOf": [schema, {"type": "string", "maxLength": 0}], **keep}


def _may_be_blank(field) -> bool:
    """Whether a response field may hold "": it says so, or (read-only fields of a model
    serializer do not) its model field is ``blank=True``."""
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:  # a property or an annotation
        return False


def _is_free_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not {"format", "enum", "pattern"} & schema.keys()


class EnvelopeAutoSchema(AutoSchema):
    #: Error statuses every operation may answer; views add others (409) with extend_schema.
    common_error_statuses = ("400", "401", "403", "404", "405", "429")
    body_error_statuses = ("413", "415")

    def _get_parameters(self):
        """An optional query parameter sent empty (``?status=``, as the frontend sends a
        cleared filter) means not given, everywhere in the API; its free text holds no NUL."""
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
                if _is_free_text(parameter.get("schema", {})):
                    parameter["schema"]["pattern"] = NO_NUL_PATTERN
        return parameters

    def _get_request_body(self, direction="request"):
        """A body that must name a field must be sent at all."""
        request_body = super()._get_request_body(direction)
        if request_body and getattr(self.get_request_serializer(), "min_properties", 0):
            request_body["required"] = True
        return request_body

    def _map_basic_serializer(self, serializer, direction):
        """A body that must name at least one field (``min_properties`` on the serializer,
        for partial updates) says so: ``minProperties`` and one of the fields required."""
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and getattr(serializer, "min_properties", 0):
            schema["minProperties"] = serializer.min_properties
            writable = [name for name, field in serializer.fields.items() if not field.read_only]
            schema["anyOf"] = [{"required": [name]} for name in writable]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.DecimalField)
            and field.decimal_places
            and schema.get("type") == "number"
        ):
            # Money: at most two decimals (DecimalField refuses more).
            schema["multipleOf"] = float(f"1e-{field.decimal_places}")
        if direction == "response" and schema.get("format") in _FORMATS and _may_be_blank(field):
            # An optional email or link is written as "" when absent, which is no email.
            schema = _blank_or(schema)
        if direction == "request" and isinstance(field, serializers.CharField) and _is_free_text(schema or {}):
            # DRF trims before it checks for blank, so "may not be blank" means "holds more
            # than whitespace".
            if field.allow_blank:
                schema["pattern"] = NON_EMPTY_NO_NUL_PATTERN
            elif field.trim_whitespace:
                schema["pattern"] = NOT_BLANK_PATTERN
            else:
                schema["pattern"] = NO_NUL_PATTERN
        return schema

    def _is_enveloped(self, serializer) -> bool:
        return bool(getattr(serializer, "is_envelope", False))

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not ("200" <= str(status_code) < "300") or "content" not in response:
            return response
        inner = getattr(serializer, "response", serializer)  # OpenApiResponse
        if self._is_enveloped(inner) or (self._is_list_view(inner) and self._get_paginator()):
            return response
        for media_type, media in response["content"].items():
            if media_type != "application/json":
                continue  # a file (an image) is the body itself, never enveloped
            payload = media["schema"]
            media["schema"] = {
                "type": "object",
                "required": ["success", "data"],
                "properties": {
                    "success": {"type": "boolean", "enum": [True]},
                    "data": payload,
                    "message": {"type": "string"},
                },
            }
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        statuses = list(self.common_error_statuses)
        if self.method in ("POST", "PUT", "PATCH"):
            statuses += self.body_error_statuses
        component = self._error_component()
        for status_code in statuses:
            if status_code not in responses:
                responses[status_code] = {
                    "content": {"application/json": {"schema": component.ref}},
                    "description": _ERROR_DESCRIPTIONS[status_code],
                }
            elif not responses[status_code].get("description"):
                responses[status_code]["description"] = _ERROR_DESCRIPTIONS.get(status_code, "")
        return responses

    def _error_component(self) -> ResolvedComponent:
        return self.resolve_serializer(ErrorEnvelopeSerializer, "response")


def _camelize_properties(schema: dict) -> None:
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("properties"), dict):
        schema["properties"] = {camel_key(name): value for name, value in schema["properties"].items()}
        for value in schema["properties"].values():
            _camelize_properties(value)
    if isinstance(schema.get("required"), list):
        schema["required"] = [camel_key(name) for name in schema["required"]]
    for key in ("items", "additionalProperties"):
        _camelize_properties(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            _camelize_properties(sub)


def camelize_request_bodies(result, generator, request, public):
    """Request bodies are documented in camelCase, the spelling the frontend sends (the
    JSON parser also accepts snake_case). Responses keep the names their serializers
    declare (SPEC §4), so only request components (``...Request``, split from the response
    ones) and inline request schemas are renamed."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _camelize_properties(schema)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                if "$ref" not in media.get("schema", {}):
                    _camelize_properties(media.get("schema"))
    return result
