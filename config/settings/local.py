"""The embedded default behind `make run`: SQLite, a folder as task broker, console e-mail.

Set DATABASE_URL and CELERY_BROKER_URL to run the same portal on PostgreSQL and Redis.
"""

from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
