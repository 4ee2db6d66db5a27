import json

from djangorestframework_camel_case.util import camelize
from rest_framework.renderers import JSONRenderer

from .envelope import Envelope


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps payloads in the success envelope and camelCases every key."""

    # Compact output, no NaN/Infinity (invalid JSON), UTF-8 as is.
    compact = True
    ensure_ascii = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 204:
            return b""
        if not isinstance(data, Envelope):
            data = Envelope(success=True, data=data)
        return super().render(camelize(data), accepted_media_type, renderer_context)


def render_error_json(body: dict) -> bytes:
    """For errors raised outside DRF (Django's 404/500 handlers, middleware)."""
    return json.dumps(body, separators=(",", ":")).encode()
