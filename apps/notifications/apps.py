from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications and chasing"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from apps.notifications.beat import sync_beat_schedule

        # Every app's `chases.py` registers its @chase functions.
        autodiscover_modules("chases")
        post_migrate.connect(
            sync_beat_schedule, sender=self, dispatch_uid="notifications.sync_beat_schedule"
        )
