"""Settings of the Celery worker that the notification tests start: the test settings, with
e-mail recorded to a file the test process can read."""

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.notifications.support.FileRecordingBackend"
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 2.0  # a test worker stops quickly
