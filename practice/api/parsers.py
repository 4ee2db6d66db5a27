import json
import re

from django.conf import settings
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser

from .exceptions import PayloadTooLarge

#: Fields whose value is a map keyed by the user's own text (a session note's progress per
#: request for help, keyed by its name): their keys are data, never renamed.
OPAQUE_FIELDS = ("hulpvragen_progress", "hulpvragenProgress")


#: How deeply arrays and objects may nest in a request body. No endpoint takes more than a
#: few levels; a deeper body is refused before anything walks it recursively.
MAX_JSON_DEPTH = 64

# A lone surrogate can only come from a \\uD800-\\uDFFF escape (the UTF-8 decoder refuses
# encoded ones); only a body with such an escape needs its strings checked.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _reject_constant(value: str):
    raise ValueError(f"{value} is not valid JSON")


def _check_structure(data, raw: bytes) -> None:
    """Refuse nesting deeper than ``MAX_JSON_DEPTH`` and text that is not Unicode (a lone
    surrogate: no database can store it and no encoder can write it back). Iterative, and
    skipped for the bodies that cannot hold either (the usual case)."""
    deep = raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH
    surrogates = _SURROGATE_ESCAPE.search(raw) is not None
    if not (deep or surrogates):
        return
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        for key, item in items:
            if surrogates:
                for text in (key, item):
                    if isinstance(text, str) and not _is_unicode(text):
                        raise ParseError("JSON parse error - text contains a lone surrogate (\\ud800-\\udfff).")
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
    if surrogates and isinstance(data, str) and not _is_unicode(data):
        raise ParseError("JSON parse error - text contains a lone surrogate (\\ud800-\\udfff).")


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class CamelCaseJSONParser(JSONParser):
    """Parses strict JSON (no NaN/Infinity, nesting at most ``MAX_JSON_DEPTH`` deep, no lone
    surrogates) and turns camelCase keys into snake_case (except inside ``OPAQUE_FIELDS``).

    DRF reads the body as a stream, which bypasses Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
    so the limit is enforced here: a larger body is a 413, whatever Content-Length says."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        _check_structure(data, raw)
        return underscoreize(data, ignore_fields=OPAQUE_FIELDS)


class LimitedMultiPartParser(MultiPartParser):
    """multipart/form-data (file uploads) up to the view's ``max_request_bytes``, else
    ``UPLOAD_MAX_REQUEST_BYTES``: a larger body is a 413 before any of it is read.

    Only the views that take uploads use it; every other view keeps the JSON parser and
    its smaller limit. The WSGI server reads at most Content-Length bytes, so checking the
    declared length bounds what is read."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context.get("request")
        view = parser_context.get("view")
        limit = getattr(view, "max_request_bytes", None) or settings.UPLOAD_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge()
        return super().parse(stream, media_type, parser_context)
