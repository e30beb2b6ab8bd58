"""The client's address, the same for throttling, the audit trail and the logs.

REMOTE_ADDR is the peer that connected. Behind TRUSTED_PROXY_COUNT reverse proxies that each append
the address they saw to X-Forwarded-For, the client is the entry that the outermost trusted proxy
appended; anything to its left was written by the client and is never believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
