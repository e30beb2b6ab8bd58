from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from apps.audit import signals  # noqa: F401 - login / logout / failed-login events
        from apps.audit.datasets import registry

        registry.autodiscover()  # every app's exports.py registers its datasets
