"""Django-level fallbacks that keep the error envelope for anything under /api/."""

from django.http import HttpResponse
from django.utils.translation import gettext
from django.views.defaults import page_not_found, server_error

from practice.errors import ErrorCode

from .exceptions import error_envelope
from .renderers import render_error_json


def _json(status: int, code: str, message: str) -> HttpResponse:
    body = error_envelope(status, code, message)
    return HttpResponse(render_error_json(body), status=status, content_type="application/json")


def api_not_found(request, *args, **kwargs) -> HttpResponse:
    """Any /api/ path that no route matches, whatever the method."""
    return _json(404, ErrorCode.NOT_FOUND, gettext("Not found."))


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return _json(500, ErrorCode.SERVER_ERROR, gettext("An unexpected error occurred."))
    return server_error(request)


def handler400(request, exception=None):
    if request.path.startswith("/api/"):
        return _json(400, ErrorCode.BAD_REQUEST, gettext("Bad request."))
    from django.views.defaults import bad_request

    return bad_request(request, exception)
