from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .request import client_ip


class ScopedThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, with three differences: a view without ``throttle_scope``
    falls under the generous ``api`` scope instead of being unthrottled, rates are read
    from settings on each request (so they follow ``override_settings``), and an anonymous
    caller is identified by ``client_ip``: X-Forwarded-For counts only behind
    ``TRUSTED_PROXY_COUNT`` proxies. (DRF's own ``get_ident`` takes the whole header when
    NUM_PROXIES is unset, so a caller could dodge every limit by sending a new one.)"""

    default_scope = "api"

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None) or self.default_scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super(ScopedRateThrottle, self).allow_request(request, view)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request) -> str:
        return client_ip(request) or ""
