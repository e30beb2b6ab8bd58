"""The beat schedule lives in one place, `settings.CELERY_BEAT_SCHEDULE`; this mirrors it into
django-celery-beat's tables after every migrate (and beat does the same when it starts), so the
database scheduler, the admin and the settings never disagree. Rows it created and that left the
settings are deleted; rows an administrator added by hand are left alone.
"""

from django.conf import settings

MANAGED_MARK = "Managed by settings.CELERY_BEAT_SCHEDULE; edit it there."


def sync_beat_schedule(sender=None, using: str = "default", **kwargs) -> list[str]:
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    from config.celery import app

    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", {})
    for name, entry in schedule.items():
        ModelEntry.from_entry(name, app=app, **entry)
    PeriodicTask.objects.filter(name__in=list(schedule)).update(description=MANAGED_MARK)
    PeriodicTask.objects.filter(description=MANAGED_MARK).exclude(name__in=list(schedule)).delete()
    return sorted(schedule)
