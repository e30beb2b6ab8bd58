"""Content-Security-Policy with a fresh nonce per request: no inline script runs anywhere.

Templates that truly need an inline <script> write `nonce="{{ request.csp_nonce }}"`; everything
else loads from this site (static/js). A view may loosen its own policy by setting
`response.csp_update = {"style-src": [...]}` (used by nothing so far; kept small on purpose).
"""

import secrets

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def build_policy(directives: dict[str, list[str]], nonce: str) -> str:
    parts = []
    for name, sources in directives.items():
        values = " ".join(source.replace("{nonce}", nonce) for source in sources)
        parts.append(f"{name} {values}".strip())
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = SimpleLazyObject(lambda: nonce)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            directives = {k: list(v) for k, v in settings.CONTENT_SECURITY_POLICY.items()}
            for name, extra in getattr(response, "csp_update", {}).items():
                directives.setdefault(name, []).extend(extra)
            response["Content-Security-Policy"] = build_policy(directives, nonce)
        return response
