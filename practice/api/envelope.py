"""The success envelope. A view returns its payload; the renderer wraps it as
``{"success": true, "data": payload}``. Bodies that are already complete envelopes
(lists with pagination, errors, auth responses) are ``Envelope`` instances and pass
through unchanged."""

from typing import Any


class Envelope(dict):
    """A response body that is already a complete envelope."""


def envelope(data: Any, message: str | None = None) -> Envelope:
    body = Envelope(success=True, data=data)
    if message:
        body["message"] = message
    return body
