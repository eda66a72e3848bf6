"""Rate limiting per client address, counted in the cache (Redis), read from the settings at each request."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class OpenDataThrottle(SimpleRateThrottle):
    scope = "open_data"

    def get_rate(self):
        return settings.OCOP_API_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
