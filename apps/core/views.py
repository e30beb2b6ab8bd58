from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import roles
from apps.core.access import login_required_any
from apps.core.health import broker_status

HOME_TEMPLATES = {
    roles.Role.PRODUCER_ADMIN: "core/home_producer.html",
    roles.Role.PRODUCER_STAFF: "core/home_producer.html",
    roles.Role.REVIEWER: "core/home_official.html",
    roles.Role.APPROVER: "core/home_official.html",
    roles.Role.AUDITOR: "core/home_auditor.html",
    roles.Role.ADMINISTRATOR: "core/home_admin.html",
}


@login_required_any
def home(request):
    role = roles.primary_role(request.user)
    if role is None:
        raise PermissionDenied
    if roles.is_producer(request.user) and not request.user.membership.organisation.is_verified:
        return redirect("accounts:registration_status")
    from apps.core.dashboard import home_context

    return render(request, HOME_TEMPLATES[role], home_context(request.user, role))


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: the database answers and the broker accepts a connection."""
    checks = {"database": _database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
