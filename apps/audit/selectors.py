from django.db.models import QuerySet

from apps.audit.models import AuditEvent
from apps.core.roles import Role, has_role


def event_list_for(user) -> QuerySet[AuditEvent]:
    if has_role(user, Role.AUDITOR, Role.ADMINISTRATOR):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def action_names_for(user) -> list[str]:
    return list(event_list_for(user).order_by("action").values_list("action", flat=True).distinct())
