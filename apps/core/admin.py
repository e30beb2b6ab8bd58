"""The admin's share of the audit trail, and the admin of the libraries' models.

Every model in the admin either writes through `AuditedModelAdmin` (one audit event per add, per
change, per object an action touched) or cannot be written at all (`ReadOnlyAdmin`): rows that a
service or the code owns. tests/audit/test_admin_coverage.py holds every registered admin to it.
"""

import functools

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.forms.models import model_to_dict
from django_celery_beat import admin as beat_admin
from django_celery_beat import models as beat
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.services import audit_record, diff

# Values the trail records only as "changed": a password hash, an authenticator's key.
SECRET_FIELDS = frozenset({"password", "key", "token", "secret"})
HIDDEN = "(hidden)"


def snapshot(obj) -> dict:
    """The editable fields of a row, many-to-many ones (a user's groups) included, by name."""
    values = model_to_dict(obj)
    for field in obj._meta.many_to_many:
        if field.name in values:
            values[field.name] = sorted(str(related) for related in values[field.name])
    return values


def admin_changes(before: dict, after: dict) -> dict:
    return {
        name: [HIDDEN, HIDDEN] if name in SECRET_FIELDS else values
        for name, values in diff(before, after).items()
    }


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits go through the audit trail like every other write.

    The values before a change are read when the admin loads the row to change it (the change
    form, a user's password form) or, for other paths, just before it is saved; the event is
    written where Django logs the change, after the many-to-many fields are saved. An action
    records one event per object it was applied to, with that object's changes.

    Audited records are never deleted from the portal: they are kept RECORDS_RETENTION_YEARS
    (settings), and deletion after that is a retention job of its own, not an admin click.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            _before(request)[_key(obj)] = snapshot(obj)
        return obj

    def save_model(self, request, obj, form, change):
        if change and _key(obj) not in _before(request):
            _before(request)[_key(obj)] = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        self._record(request, obj, "add", {})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record(request, obj, "change", _before(request).pop(_key(obj), {}))
        return super().log_change(request, obj, message)

    def delete_model(self, request, obj):
        self._record(request, obj, "delete", snapshot(obj), after={})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record(request, obj, "delete", snapshot(obj), after={})
        super().delete_queryset(request, queryset)

    def get_actions(self, request):
        return {
            name: (_audited_action(func, name), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }

    def _record(self, request, obj, verb: str, before: dict, after: dict | None = None) -> None:
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{verb}",
            obj=obj,
            changes=admin_changes(before, snapshot(obj) if after is None else after),
        )


def _audited_action(func, name: str):
    @functools.wraps(func)
    def run(modeladmin, request, queryset):
        with transaction.atomic():
            objects = list(queryset)
            before = {obj.pk: snapshot(obj) for obj in objects}
            response = func(modeladmin, request, queryset)
            fresh = modeladmin.model._default_manager.in_bulk(list(before))
            for obj in objects:
                audit_record(
                    actor=request.user,
                    action=f"admin.{obj._meta.model_name}.{name}",
                    obj=fresh.get(obj.pk, obj),
                    changes=admin_changes(
                        before[obj.pk], snapshot(fresh[obj.pk]) if obj.pk in fresh else {}
                    ),
                )
        return response

    return run


def _before(request) -> dict:
    return request.__dict__.setdefault("_audit_admin_before", {})


def _key(obj) -> tuple:
    return obj._meta.label, obj.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (secrets hashed): the admin may look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The libraries' models ----------------------------------------------------------------------
# Registered by their apps (listed before apps.core, so already registered here); replaced so
# that none writes past the trail.


def _replace(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


class RoleGroupAdmin(ReadOnlyAdmin, GroupAdmin):
    """Roles are groups whose permissions apps.core.roles sets after every migrate: code, not
    the admin, defines them (a user's roles are edited on the user, and audited there)."""


class DeviceAdmin(ReadOnlyAdmin):
    """Authenticators are enrolled and removed by their owners (apps.accounts.mfa, audited); the
    admin lists them without their keys, codes or QR codes."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = readonly_fields = list_display


# The beat schedule: rows mirrored from settings.CELERY_BEAT_SCHEDULE, and rows an administrator
# adds by hand (apps/notifications/beat.py); the admin's edits and actions are audited.
class PeriodicTaskAdmin(AuditedModelAdmin, beat_admin.PeriodicTaskAdmin):
    pass


class ClockedScheduleAdmin(AuditedModelAdmin, beat_admin.ClockedScheduleAdmin):
    pass


class CrontabScheduleAdmin(AuditedModelAdmin, beat_admin.CrontabScheduleAdmin):
    pass


class IntervalScheduleAdmin(AuditedModelAdmin, beat_admin.IntervalScheduleAdmin):
    pass


class SolarScheduleAdmin(AuditedModelAdmin, beat_admin.SolarScheduleAdmin):
    pass


_replace(Group, RoleGroupAdmin)
_replace(TOTPDevice, DeviceAdmin)
_replace(StaticDevice, DeviceAdmin)
_replace(beat.PeriodicTask, PeriodicTaskAdmin)
_replace(beat.ClockedSchedule, ClockedScheduleAdmin)
_replace(beat.CrontabSchedule, CrontabScheduleAdmin)
_replace(beat.IntervalSchedule, IntervalScheduleAdmin)
_replace(beat.SolarSchedule, SolarScheduleAdmin)
