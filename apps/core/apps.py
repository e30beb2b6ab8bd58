from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from apps.core.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="core.sync_role_groups")
        from apps.core import task_context  # noqa: F401 - tasks act as "task <name>"
        from apps.core.security import sessions, throttle  # noqa: F401 - sign-in signal receivers
