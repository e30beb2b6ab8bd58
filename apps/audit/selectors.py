"""Every read of the audit app, scoped to the user who asks (404 for what they may not see)."""

from django.db.models import QuerySet
from django.http import Http404

from apps.audit import permissions
from apps.audit.datasets import registry
from apps.audit.datasets.registry import Dataset
from apps.audit.models import AuditEvent, ChainCheckpoint, ExportJob


def event_list_for(user) -> QuerySet[AuditEvent]:
    if permissions.can_read_audit(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def object_timeline_for(user, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """Every event about one object, oldest first: its whole history in the trail."""
    return (
        event_list_for(user)
        .filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
    )


def dataset_list_for(user) -> list[Dataset]:
    return registry.all_datasets() if permissions.can_read_audit(user) else []


def dataset_get_for(user, name: str) -> Dataset:
    try:
        dataset = registry.get(name)
    except KeyError:
        raise Http404 from None
    if not permissions.can_read_audit(user):
        raise Http404
    return dataset


def checkpoint_list_for(user) -> QuerySet[ChainCheckpoint]:
    if permissions.can_read_audit(user):
        return ChainCheckpoint.objects.all()
    return ChainCheckpoint.objects.none()


def export_list_for(user) -> QuerySet[ExportJob]:
    """An auditor's own exports (each is also an event in the trail, visible to all auditors)."""
    if not permissions.can_export(user):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


def export_get_for(user, token) -> ExportJob:
    try:
        return export_list_for(user).select_related("requested_by").get(token=token)
    except ExportJob.DoesNotExist:
        raise Http404 from None
