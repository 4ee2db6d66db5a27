from contextvars import ContextVar

from django.conf import settings

_current_request: ContextVar = ContextVar("current_request", default=None)


def current_request():
    """The request being handled (set by ``CurrentRequestMiddleware``), or None."""
    return _current_request.get()


def client_ip(request) -> str | None:
    """The caller's IP address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies the address
    is taken from X-Forwarded-For (counted from the right, so clients cannot spoof it)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def body_size_check(request) -> None:
    """Parse the body an endpoint does not use, so that a body over the size limit is a 413
    on every write route, as on those that read theirs."""
    _ = request.data
