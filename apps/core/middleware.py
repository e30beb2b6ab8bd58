import re
import uuid

from apps.core import context
from apps.core.security.client import client_ip

# A caller's request id is kept (it ties our logs to theirs) only if it is a plain token: it is
# written into the audit trail, the logs and a response header.
_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds the request id, client address and user agent for the audit trail and the logs.

    The address is REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry of X-Forwarded-For
    that the outermost trusted proxy wrote (apps.core.security.client, README "Security").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_of(request)
        user = getattr(request, "user", None)
        token = context.bind(
            context.ActionContext(
                request_id=request_id,
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:400],
                user_id=user.pk if user is not None and user.is_authenticated else None,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in a query parameter can never match anything PostgreSQL stores (its text
    type cannot hold NUL) and makes the database raise: answer 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _key, values in request.GET.lists() for value in values):
            from django.http import HttpResponseBadRequest, JsonResponse

            if request.path.startswith("/api/"):
                body = {"error": {"code": "invalid", "message": "NUL bytes are not allowed."}}
                return JsonResponse(body, status=400)
            return HttpResponseBadRequest("NUL bytes are not allowed in the address.")
        return self.get_response(request)
