import json

import orjson
from django.utils.encoding import force_str
from django.utils.functional import Promise
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .envelope import Envelope

# Keys repeat on every item of every page; converting each distinct key once is most of
# what makes rendering a list cheap. Bounded, since JSON fields may carry arbitrary keys.
_CAMEL_KEYS: dict[str, str] = {}
_CAMEL_KEYS_MAX = 10_000
_SCALARS = (str, int, float, bool, type(None))


def _camel_key(key: str) -> str:
    try:
        return _CAMEL_KEYS[key]
    except KeyError:
        camel = camelize_re.sub(underscore_to_camel, key) if "_" in key else key
        if len(_CAMEL_KEYS) < _CAMEL_KEYS_MAX:
            _CAMEL_KEYS[key] = camel
        return camel


def camelize(data):
    """camelCase every dict key, recursively: the same output as
    ``djangorestframework_camel_case.util.camelize`` with its default options (lazy
    strings forced, any other iterable becomes a list), several times faster."""
    if isinstance(data, _SCALARS):
        return data
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if isinstance(key, Promise):
                key = force_str(key)
            result[_camel_key(key) if isinstance(key, str) else key] = (
                value if isinstance(value, _SCALARS) else camelize(value)
            )
        return result
    if isinstance(data, list | tuple):
        return [item if isinstance(item, _SCALARS) else camelize(item) for item in data]
    if isinstance(data, Promise):
        return force_str(data)
    try:
        items = iter(data)
    except TypeError:
        return data
    return [camelize(item) for item in items]


_encoder = JSONEncoder()
# Dates and times go through DRF's encoder (ISO 8601, "Z" for UTC, milliseconds), as do
# Decimals, lazy strings and anything else orjson does not know natively.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class EnvelopeJSONRenderer(JSONRenderer):
    """Wraps payloads in the success envelope and camelCases every key.

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
        data = camelize(data)
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
