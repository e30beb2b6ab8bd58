from django.contrib import admin
from django.forms.models import model_to_dict

from apps.audit.services import audit_record, diff


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits go through the audit trail like every other write.

    Audited records are never deleted from the portal: they are kept RECORDS_RETENTION_YEARS
    (settings), and deletion after that is a retention job of its own, not an admin click.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = model_to_dict(obj)
        action = f"admin.{obj._meta.model_name}.{'change' if change else 'add'}"
        audit_record(actor=request.user, action=action, obj=obj, changes=diff(before, after))

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"admin.{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=f"admin.{obj._meta.model_name}.delete", obj=obj)
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (secrets hashed): the admin may look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
