"""Every refusal (HTTP 403) of a page or API call is written to the audit trail.

A middleware sees the final response of every view, HTML or API, whether the refusal came from
`role_required`, a DRF permission, a CSRF failure or the MFA gate, so a view added later is covered
without doing anything.
"""

from apps.audit.services import audit_record


class PermissionDeniedAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            audit_record(
                actor=user if authenticated else None,
                action="security.permission_denied",
                changes={"method": request.method, "path": request.get_full_path()[:500]},
                actor_label=None if authenticated else "anonymous",
            )
        return response
