import json

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .envelope import Envelope

_encoder = JSONEncoder()
# Dates and times go through DRF's encoder (ISO 8601, "Z" for UTC, milliseconds), as do
# Decimals, lazy strings and anything else orjson does not know natively.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps payloads in the success envelope. Keys are written as the serializers name
    them (SPEC §4): nothing is renamed here.

    Encodes with orjson (compact, UTF-8), falling back to DRF's encoder for what orjson
    rejects (integers beyond 64 bits) and when an indented response is asked for."""

    # Compact output, no NaN/Infinity (invalid JSON), UTF-8 as is.
    compact = True
    ensure_ascii = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code == 204:
            return b""
        if not isinstance(data, Envelope):
            data = Envelope(success=True, data=data)
        if self.get_indent(accepted_media_type, renderer_context or {}) is None:
            try:
                body = orjson.dumps(data, default=_encoder.default, option=_ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                pass
            else:
                # As DRF does: these two are valid JSON but not valid JavaScript.
                if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
                    body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
                return body
        return super().render(data, accepted_media_type, renderer_context)


def render_error_json(body: dict) -> bytes:
    """For errors raised outside DRF (Django's 404/500 handlers, middleware)."""
    return json.dumps(body, separators=(",", ":")).encode()
