from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ScopedThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, with two differences: a view without ``throttle_scope``
    falls under the generous ``api`` scope instead of being unthrottled, and rates are
    read from settings on each request (so they follow ``override_settings``)."""

    default_scope = "api"

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None) or self.default_scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super(ScopedRateThrottle, self).allow_request(request, view)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
