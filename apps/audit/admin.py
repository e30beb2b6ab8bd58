from django.contrib import admin

from apps.audit.models import AuditEvent, ChainCheckpoint, ExportJob
from apps.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "object_id"]


@admin.register(ChainCheckpoint)
class ChainCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["checked_at", "ok", "events_checked", "head_id", "broken_event_id"]
    list_filter = ["ok"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "requested_by", "dataset", "format", "status", "row_count"]
    list_filter = ["status", "dataset", "format"]
