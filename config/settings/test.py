"""The test suite runs on the real services: PostgreSQL and Redis on this machine."""

import os

from config.env import env_cache, env_database, env_str

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

from .base import *  # noqa: F403

DATABASES = {
    "default": env_database("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/raretrack")
}
# The test harness empties every table between transactional tests (TRUNCATE); the audit
# trail's trigger allows that only in a session that sets this flag (see apps/audit/sql.py).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"{POSTGRES_SESSION_OPTIONS} -c raretrack.audit_allow_truncate=on"  # noqa: F405
)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# Throttle counters live in Redis as in production, under a prefix the suite clears between tests
# (tests/conftest.py) without touching the broker's keys in the same database.
CACHES = {"default": env_cache("CACHE_URL", CELERY_BROKER_URL)}
CACHES["default"]["KEY_PREFIX"] = "rt-test-cache"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
EXPORT_ROOT = MEDIA_ROOT / "exports"
