"""The audit trail as a dataset: browsed in the auditor workspace and exported like any other."""

from django.utils.translation import gettext_lazy as _

from apps.audit.datasets.registry import (
    Column,
    Dataset,
    Filter,
    date_range,
    producer,
    register,
    search,
)


def _action_choices():
    from apps.audit.models import AuditEvent

    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(a, a) for a in actions]


def _object_type_choices():
    from apps.audit.models import AuditEvent

    types = (
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    return [(t, t) for t in types]


AUDIT_EVENTS = register(
    Dataset(
        name="audit_events",
        label=_("Audit trail"),
        description=_("Every write in the portal: who, what, when, from where, and the chain."),
        model="audit.AuditEvent",
        columns=(
            Column("id", "id", _("Event"), kind="number"),
            Column("created_at", "created_at", _("Time (UTC)"), kind="datetime"),
            Column("actor_id", "actor_id", _("Actor id"), kind="number"),
            Column("actor", "actor_label", _("Actor")),
            Column("action", "action", _("Action"), kind="code"),
            Column("object_type", "object_type", _("Object type"), kind="code"),
            Column("object_id", "object_id", _("Object id"), kind="code"),
            Column("object", "object_repr", _("Object")),
            Column("changes", "changes", _("Changes"), kind="json", sortable=False),
            Column("ip_address", "ip_address", _("Address"), kind="code"),
            Column("user_agent", "user_agent", _("User agent")),
            # Free text: a client may send any X-Request-ID (up to 64 characters).
            Column("request_id", "request_id", _("Request"), sortable=False),
            Column("prev_hash", "prev_hash", _("Previous hash"), kind="code", sortable=False),
            Column("hash", "hash", _("Hash"), kind="code", sortable=False),
        ),
        filters=(
            *date_range("created_at"),
            producer("actor__membership__organisation"),
            Filter("action", _("Action"), "action", "choice", choices=_action_choices),
            Filter("object_type", _("Object type"), "object_type", "choice", _object_type_choices),
            search("actor_label", "object_repr", "object_id", label=_("Actor or object")),
        ),
        order_by=("id",),
        default_sort="-id",
        timeline=False,
    )
)
