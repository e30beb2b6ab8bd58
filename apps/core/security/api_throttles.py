"""API request budgets read from settings at request time (API_RATE_ANONYMOUS, API_RATE_USER).

DRF's own classes freeze their rates at import; reading them per request lets an operator's
settings (and the tests) take effect without re-importing anything. Counters live in the cache.
"""

from django.conf import settings
from rest_framework import throttling


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    def get_rate(self):
        return settings.API_RATE_ANONYMOUS


class UserRateThrottle(throttling.UserRateThrottle):
    def get_rate(self):
        return settings.API_RATE_USER
