"""Domain errors and the one exception handler that turns every error into the envelope:

    {"success": false, "statusCode": 400, "code": "validation_error",
     "message": "...", "errors": [{"field": "feeAmount", "message": "..."}]}

Services raise the domain errors of ``practice.errors`` with a stable ``code`` from an
error-code enum; views never build error responses by hand."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from practice.errors import DomainError, ErrorCode, PermissionDeniedError

from .case import camelize, camelize_path
from .envelope import Envelope

logger = logging.getLogger("practice.api")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = ErrorCode.PAYLOAD_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")


def safe_text(text: Any) -> str:
    """``text`` as a string any encoder can write: a lone surrogate (which an error message
    may echo from the input) becomes its ``\\udXXX`` escape."""
    text = str(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def flatten_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into ``[{field, message}]`` with dotted camelCase
    paths; errors not tied to a field carry ``field: null``."""
    if isinstance(detail, dict):
        items: list[dict[str, str]] = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                items.extend(flatten_errors(value, prefix))
            else:
                items.extend(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return items
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"field": camelize_path(prefix) if prefix else None, "message": str(m)} for m in detail]
        items = []
        for index, item in enumerate(detail):
            if item in ({}, [], None):
                continue
            items.extend(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return items
    return [{"field": camelize_path(prefix) if prefix else None, "message": str(detail)}]


def error_envelope(status_code: int, code: str, message: str, errors: list | None = None, data: Any = None) -> Envelope:
    """The error envelope. Its context ``data`` is spelt in camelCase like the envelope."""
    errors = [
        {**item, "field": item.get("field") and safe_text(item["field"]), "message": safe_text(item.get("message", ""))}
        for item in errors or []
    ]
    body = Envelope(success=False, statusCode=status_code, code=str(code), message=safe_text(message), errors=errors)
    if data is not None:
        body["data"] = camelize(data)
    return body


_API_CODES = {
    exceptions.NotAuthenticated: ErrorCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: ErrorCode.AUTHENTICATION_FAILED,
    exceptions.PermissionDenied: ErrorCode.PERMISSION_DENIED,
    exceptions.NotFound: ErrorCode.NOT_FOUND,
    exceptions.MethodNotAllowed: ErrorCode.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: ErrorCode.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    exceptions.Throttled: ErrorCode.THROTTLED,
    exceptions.ParseError: ErrorCode.PARSE_ERROR,
}


def _api_exception_code(exc: exceptions.APIException) -> str:
    for klass, code in _API_CODES.items():
        if isinstance(exc, klass):
            detail_code = exc.get_codes()
            # simplejwt says *why* a token failed (token_not_valid, user_inactive, ...).
            if isinstance(detail_code, str) and klass is exceptions.AuthenticationFailed:
                return detail_code if detail_code != ErrorCode.AUTHENTICATION_FAILED else code
            if isinstance(detail_code, dict) and "code" in exc.detail:
                return str(exc.detail["code"])
            return code
    return exc.default_code if isinstance(exc.default_code, str) else "error"


def _api_exception_message(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, dict):
        return str(detail.get("detail") or exc.default_detail)
    if isinstance(detail, list):
        return str(detail[0]) if detail else str(exc.default_detail)
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """The single place where errors become responses (REST_FRAMEWORK.EXCEPTION_HANDLER)."""
    # Imported here: rest_framework.views loads the API settings, which import this module.
    from rest_framework.views import set_rollback

    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        errors = [{**e, "field": camelize_path(e["field"]) if e.get("field") else None} for e in exc.errors]
        body = error_envelope(int(exc.status_code), exc.code, str(exc.message), errors, exc.data)
        headers.update(exc.headers)
    elif isinstance(exc, DjangoValidationError):
        errors = flatten_errors(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        body = error_envelope(400, ErrorCode.VALIDATION_ERROR, gettext("The request contains invalid data."), errors)
    elif isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        message = gettext("The request contains invalid data.")
        if len(errors) == 1:
            message = errors[0]["message"]
        body = error_envelope(400, ErrorCode.VALIDATION_ERROR, message, errors)
    elif isinstance(exc, Http404):
        body = error_envelope(404, ErrorCode.NOT_FOUND, gettext("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        body = error_envelope(403, ErrorCode.PERMISSION_DENIED, PermissionDeniedError.default_message)
    elif isinstance(exc, RequestDataTooBig):
        body = error_envelope(413, str(PayloadTooLarge.default_code), str(PayloadTooLarge.default_detail))
    elif isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        body = error_envelope(exc.status_code, _api_exception_code(exc), _api_exception_message(exc))
    else:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        body = error_envelope(500, ErrorCode.SERVER_ERROR, gettext("An unexpected error occurred."))
    if getattr(context.get("view"), "atomic_request", True):
        set_rollback()
    return Response(body, status=body["statusCode"], headers=headers)
