"""Domain errors: plain Python, no HTTP framework.

Services and selectors raise these with a stable ``code``, a member of an error-code enum:
``ErrorCode`` (generic and HTTP-level codes) and ``PracticeError`` here, ``SchedulingError``
and ``ClinicalError`` in ``scheduling.errors`` and ``clinical.errors``. Together they are
the list of codes a client can receive. ``practice.api.exceptions.api_exception_handler``
turns the errors into the envelope. Field names in ``errors`` are the model's snake_case
names; the handler spells them as the client sent them."""

import enum
from http import HTTPStatus
from typing import Any

from django.utils.translation import gettext_lazy


class ErrorCode(enum.StrEnum):
    """Codes every app may raise, and those the HTTP layer answers with by itself."""

    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    AUTHENTICATION_FAILED = "authentication_failed"
    NOT_AUTHENTICATED = "not_authenticated"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    PARSE_ERROR = "parse_error"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    SERVER_ERROR = "server_error"
    INVALID_REQUEST = "invalid_request"
    SERVICE_UNAVAILABLE = "service_unavailable"


class PracticeError(enum.StrEnum):
    """Codes of the core domain: signing in and tokens."""

    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_LOCKED = "account_locked"
    TOKEN_NOT_VALID = "token_not_valid"  # noqa: S105 (a code, not a secret)
    NO_ACTIVE_ACCOUNT = "no_active_account"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    INVALID_TWO_FACTOR_CODE = "invalid_two_factor_code"
    TWO_FACTOR_NOT_ENABLED = "two_factor_not_enabled"
    TWO_FACTOR_ALREADY_ENABLED = "two_factor_already_enabled"
    TWO_FACTOR_NOT_SET_UP = "two_factor_not_set_up"
    TWO_FACTOR_SECRET_MISMATCH = "two_factor_secret_mismatch"  # noqa: S105 (a code, not a secret)
    INVALID_TEMP_TOKEN = "invalid_temp_token"  # noqa: S105 (a code, not a secret)


class DomainError(Exception):
    """A business rule said no. ``code`` is stable and machine-readable; ``data`` carries
    context the client needs (for example the record that already exists)."""

    status_code: int = HTTPStatus.BAD_REQUEST
    default_code: str = ErrorCode.BAD_REQUEST
    default_message = gettext_lazy("The request could not be processed.")

    def __init__(
        self,
        code: str | None = None,
        message: str | None = None,
        *,
        data: Any = None,
        errors: list[dict[str, str | None]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = str(code or self.default_code)
        # Rendered now, in the language of the request that raised it.
        self.message = str(message or self.default_message)
        self.data = data
        self.errors = errors or []
        self.headers = headers or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    default_code = ErrorCode.VALIDATION_ERROR
    default_message = gettext_lazy("The request contains invalid data.")

    @classmethod
    def for_field(cls, field: str, message: str, code: str | None = None) -> "ValidationFailed":
        return cls(code, message, errors=[{"field": field, "message": message}])


class NotFoundError(DomainError):
    status_code = HTTPStatus.NOT_FOUND
    default_code = ErrorCode.NOT_FOUND
    default_message = gettext_lazy("Not found.")


class PermissionDeniedError(DomainError):
    status_code = HTTPStatus.FORBIDDEN
    default_code = ErrorCode.PERMISSION_DENIED
    default_message = gettext_lazy("You do not have permission to perform this action.")


class ConflictError(DomainError):
    status_code = HTTPStatus.CONFLICT
    default_code = ErrorCode.CONFLICT
    default_message = gettext_lazy("The request conflicts with the current state of the resource.")


class AuthenticationError(DomainError):
    status_code = HTTPStatus.UNAUTHORIZED
    default_code = ErrorCode.AUTHENTICATION_FAILED
    default_message = gettext_lazy("Authentication failed.")


class PayloadTooLargeError(DomainError):
    status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_code = ErrorCode.PAYLOAD_TOO_LARGE
    default_message = gettext_lazy("The request body is too large.")


class ServiceUnavailableError(DomainError):
    status_code = HTTPStatus.SERVICE_UNAVAILABLE
    default_code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = gettext_lazy("The service is unavailable.")


class PhotoError(enum.StrEnum):
    """Why an uploaded photo was refused, or a photo link does not open."""

    MISSING = "photo_missing"
    EMPTY = "photo_empty"
    UNSUPPORTED_TYPE = "unsupported_image_type"
    TOO_MANY_PIXELS = "image_too_many_pixels"
    UNREADABLE = "image_unreadable"
    LINK_INVALID = "photo_link_invalid"


class AccountLockedError(DomainError):
    status_code = HTTPStatus.TOO_MANY_REQUESTS
    default_code = PracticeError.ACCOUNT_LOCKED
    default_message = gettext_lazy("Too many failed sign-ins; try again later.")
