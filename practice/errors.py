"""Domain errors: plain Python, no HTTP framework.

Services and selectors raise these with a stable ``code`` (a member of an app's error-code
enum, or a plain string); ``practice.api.exceptions.api_exception_handler`` turns them into
the error envelope. Field names in ``errors`` are the model's snake_case names; the handler
spells them as the client sent them."""

import enum
from http import HTTPStatus
from typing import Any


class ErrorCode(enum.StrEnum):
    """Codes every app may raise."""

    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    AUTHENTICATION_FAILED = "authentication_failed"


class DomainError(Exception):
    """A business rule said no. ``code`` is stable and machine-readable; ``data`` carries
    context the client needs (for example the record that already exists)."""

    status_code: int = HTTPStatus.BAD_REQUEST
    default_code: str = ErrorCode.BAD_REQUEST
    default_message = "The request could not be processed."

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
        self.message = message or self.default_message
        self.data = data
        self.errors = errors or []
        self.headers = headers or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    default_code = ErrorCode.VALIDATION_ERROR
    default_message = "The request contains invalid data."

    @classmethod
    def for_field(cls, field: str, message: str, code: str | None = None) -> "ValidationFailed":
        return cls(code, message, errors=[{"field": field, "message": message}])


class NotFoundError(DomainError):
    status_code = HTTPStatus.NOT_FOUND
    default_code = ErrorCode.NOT_FOUND
    default_message = "Not found."


class PermissionDeniedError(DomainError):
    status_code = HTTPStatus.FORBIDDEN
    default_code = ErrorCode.PERMISSION_DENIED
    default_message = "You do not have permission to perform this action."


class ConflictError(DomainError):
    status_code = HTTPStatus.CONFLICT
    default_code = ErrorCode.CONFLICT
    default_message = "The request conflicts with the current state of the resource."


class AuthenticationError(DomainError):
    status_code = HTTPStatus.UNAUTHORIZED
    default_code = ErrorCode.AUTHENTICATION_FAILED
    default_message = "Authentication failed."


class PayloadTooLargeError(DomainError):
    status_code = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_message = "The request body is too large."


class PhotoError(enum.StrEnum):
    """Why an uploaded photo was refused, or a photo link does not open."""

    MISSING = "photo_missing"
    EMPTY = "photo_empty"
    TOO_LARGE = "payload_too_large"
    UNSUPPORTED_TYPE = "unsupported_image_type"
    TOO_MANY_PIXELS = "image_too_many_pixels"
    UNREADABLE = "image_unreadable"
    LINK_INVALID = "photo_link_invalid"


class AccountLockedError(DomainError):
    status_code = HTTPStatus.TOO_MANY_REQUESTS
    default_code = "account_locked"
    default_message = "Too many failed sign-ins; try again later."
