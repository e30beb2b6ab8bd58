"""Production only tightens the base settings; it has no default secret and no debug."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_cache, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be a random value of at least 50 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
env_str("DATABASE_URL")  # production never falls back to the embedded SQLite file
env_str("CELERY_BROKER_URL")
# Throttling counters must be shared by every web process: Redis (CACHE_URL, or the broker's Redis).
_cache_url = env_str("CACHE_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""  # noqa: F405
)
if not _cache_url.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "Environment variable CACHE_URL must name a Redis database (redis://host:6379/1) in "
        "production: sign-in and API throttling are shared by every web process."
    )
CACHES = {"default": env_cache("CACHE_URL", _cache_url)}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"  # host-only, secure, path=/: no subdomain can set it
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
