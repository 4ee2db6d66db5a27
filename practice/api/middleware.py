from urllib.parse import unquote_to_bytes

from django.http import HttpResponse
from django.utils.translation import gettext

from practice.errors import ErrorCode

from .exceptions import error_envelope
from .renderers import render_error_json
from .request import _current_request


class CurrentRequestMiddleware:
    """Makes the request being handled available to code that is not handed it (input
    fields that read the signed-in user's practice time zone), for that request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


class RejectNullBytesMiddleware:
    """A NUL byte in the path or query string is never legitimate and PostgreSQL cannot
    store it in text: answer 400 before anything else sees the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(raw_query):
            body = error_envelope(400, ErrorCode.INVALID_REQUEST, gettext("The request contains a NUL character."))
            return HttpResponse(render_error_json(body), status=400, content_type="application/json")
        return self.get_response(request)


#: Under /api/, the responses that carry no practice data: the schema and its docs.
PUBLIC_API_PATHS = ("/api/schema/", "/api/docs/", "/api/redoc/")


class NoStoreMiddleware:
    """Every API response may carry health data: no browser, proxy or shared cache keeps a
    copy (``Cache-Control: no-store``), unless the view said otherwise (a profile photo is
    ``private``). The schema and docs are public and left to the defaults."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith("/api/") and not path.startswith(PUBLIC_API_PATHS):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
