"""Settings shared by every environment; everything that differs comes from the environment."""

import re
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_cache, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-only-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
    "apps.core",
    "apps.audit",
    "apps.accounts",
    "apps.catalogue",
    "apps.workcalendar",
    "apps.notifications",
    "apps.clients",
    "apps.licensing",
    "apps.transactions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.RejectNulBytesMiddleware",
    "apps.core.security.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    # Security gates (apps/core/security, apps/accounts/middleware.py): after the request context
    # so the events they record carry the client address.
    "apps.core.security.sessions.SessionTimeoutMiddleware",
    "apps.accounts.middleware.MFARequiredMiddleware",
    "apps.core.security.audit.PermissionDeniedAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
                "apps.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves web, worker and beat from one file: WAL lets readers run beside
    # the writer, IMMEDIATE transactions and a busy timeout queue writers instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# PostgreSQL's default random_page_cost (4) prices an index read as a seek on a spinning disk.
# On SSD, with the working set in memory, 1.1 is the usual figure; with 4 the planner would
# rather read and sort every matching row than walk an index in order (the review queue sorted
# by company: companies by name, then each one's cases).
POSTGRES_SESSION_OPTIONS = "-c random_page_cost=1.1"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # Appended: options given in DATABASE_URL (?options=...) are kept.
    _options["options"] = f"{_options.get('options', '')} {POSTGRES_SESSION_OPTIONS}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every password check for a throttled (account, address) or address.
    "apps.core.security.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row, anonymous users get nothing
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)

# Licensing rules (defaults from the published regime; working days on the Chinese calendar).
LICENSING_REVIEW_DAYS = {
    "single": env_int("LICENSING_REVIEW_DAYS_SINGLE", 45, minimum=1),
    "general": env_int("LICENSING_REVIEW_DAYS_GENERAL", 45, minimum=1),
}
LICENSING_FAST_TRACK_DAYS = env_int("LICENSING_FAST_TRACK_DAYS", 10, minimum=1)
LICENSING_RFI_DAYS = env_int("LICENSING_RFI_DAYS", 20, minimum=1)
LICENSING_AMENDMENT_DAYS = env_int("LICENSING_AMENDMENT_DAYS", 20, minimum=1)
LICENSING_VALIDITY_YEARS = {"single": 1, "general": 3}
# Chasing (apps/licensing/chases.py): thresholds in working days / hours on the official calendar.
# A case nobody took after this many working hours (office hours below) is assigned to the
# least-loaded reviewer ("assign") or the supervisors are alerted ("alert").
LICENSING_UNTAKEN_AFTER_WORKING_HOURS = env_int(
    "LICENSING_UNTAKEN_AFTER_WORKING_HOURS", 8, minimum=1
)
LICENSING_UNTAKEN_ACTION = env_str("LICENSING_UNTAKEN_ACTION", "assign")
if LICENSING_UNTAKEN_ACTION not in {"assign", "alert"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"Environment variable LICENSING_UNTAKEN_ACTION={LICENSING_UNTAKEN_ACTION!r}: "
        "use assign or alert."
    )
LICENSING_OFFICE_HOURS = (9, 17)  # local time; what a "working hour" is
LICENSING_REVIEW_REMIND_DAYS_LEFT = (10, 5, 1)
LICENSING_DECISION_ESCALATE_DAYS = env_int("LICENSING_DECISION_ESCALATE_DAYS", 5, minimum=1)
LICENSING_RFI_REMIND_DAYS_BEFORE = env_int("LICENSING_RFI_REMIND_DAYS_BEFORE", 5, minimum=1)
LICENSING_RFI_AUTO_LAPSE = env_bool("LICENSING_RFI_AUTO_LAPSE", False)
LICENSING_EXPIRY_WARN_DAYS = (30, 7)  # calendar days: validity is in calendar days
# Daily reminders and the officials' digest go out from this local hour on working days.
LICENSING_DAILY_CHASE_HOUR = env_int("LICENSING_DAILY_CHASE_HOUR", 8, minimum=0)
LICENSING_DIGEST_DUE_DAYS = env_int("LICENSING_DIGEST_DUE_DAYS", 5, minimum=1)
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Transaction reports: files above this many rows are checked and imported by a Celery task.
TRANSACTIONS_IMPORT_SYNC_MAX_ROWS = env_int("TRANSACTIONS_IMPORT_SYNC_MAX_ROWS", 2000, minimum=1)
TRANSACTIONS_IMPORT_MAX_BYTES = env_int(
    "TRANSACTIONS_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024
)
TRANSACTIONS_LATE_FILING_DAYS = env_int("TRANSACTIONS_LATE_FILING_DAYS", 30, minimum=1)
TRANSACTIONS_VOLUME_FLAG_FACTOR = env_int("TRANSACTIONS_VOLUME_FLAG_FACTOR", 3, minimum=1)
TRANSACTIONS_MONTHLY_RETURN_DAY = env_int("TRANSACTIONS_MONTHLY_RETURN_DAY", 10, minimum=1)
# Chasing (apps/transactions/chases.py): a missing monthly return is escalated to the approvers
# this many working days after its due date; late shipments use TRANSACTIONS_LATE_FILING_DAYS and
# are looked for among reports filed in the last TRANSACTIONS_LATE_LOOKBACK_DAYS.
TRANSACTIONS_RETURN_ESCALATE_DAYS = env_int("TRANSACTIONS_RETURN_ESCALATE_DAYS", 10, minimum=1)
TRANSACTIONS_LATE_LOOKBACK_DAYS = env_int("TRANSACTIONS_LATE_LOOKBACK_DAYS", 60, minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RareTrack <no-reply@raretrack.invalid>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Security (README "Security"). Sessions: signed out after SESSION_IDLE_TIMEOUT seconds without a
# request and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in, whatever the activity.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60, minimum=300)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sensitive actions (API tokens, MFA changes, licence decisions) need the password typed this
# recently (seconds).
RECENT_AUTH_MAX_AGE = env_int("RECENT_AUTH_MAX_AGE", 10 * 60, minimum=30)
# Sign-in throttling: failures per (account, address) before an exponential back-off starts, its
# first and longest pause, and the failure budget of one address across all accounts.
LOGIN_FAILURES_BEFORE_BACKOFF = env_int("LOGIN_FAILURES_BEFORE_BACKOFF", 5, minimum=1)
LOGIN_BACKOFF_BASE = env_int("LOGIN_BACKOFF_BASE", 60, minimum=1)
LOGIN_BACKOFF_MAX = env_int("LOGIN_BACKOFF_MAX", 60 * 60, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50, minimum=1)
LOGIN_IP_WINDOW = env_int("LOGIN_IP_WINDOW", 15 * 60, minimum=60)
# The client address: REMOTE_ADDR unless the portal runs behind this many trusted proxies that
# append to X-Forwarded-For (README "Running behind a proxy").
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# MFA: TOTP apps show this issuer; the enrolment QR code is rendered here, never by another host.
OTP_TOTP_ISSUER = "RareTrack"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
MFA_RECOVERY_CODES = 10
# Uploaded documents: the largest accepted file (bytes) and the types recognised by content.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Content Security Policy: no inline script anywhere; "{nonce}" becomes the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-{nonce}'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Cache: throttling counters (sign-in and API). Redis in tests and production; the embedded default
# keeps them in the one web process.
CACHES = {"default": env_cache("CACHE_URL", "locmem://raretrack")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every API view names the permission it needs.
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.api.DenyAll"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api_errors.exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.security.api_throttles.AnonymousRateThrottle",
        "apps.core.security.api_throttles.UserRateThrottle",
    ],
}
# API request budgets ("N/second|minute|hour|day"): per client address without credentials and per
# user (every token of the user shares it).
API_RATE_ANONYMOUS = env_str("API_RATE_ANONYMOUS", "60/minute")
API_RATE_USER = env_str("API_RATE_USER", "1200/minute")
for _rate_name in ("API_RATE_ANONYMOUS", "API_RATE_USER"):
    if not re.fullmatch(r"\d+/(second|minute|hour|day)", globals()[_rate_name]):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Environment variable {_rate_name}={globals()[_rate_name]!r}: use N/minute, "
            "N/hour, N/second or N/day."
        )
SPECTACULAR_SETTINGS = {
    "TITLE": "RareTrack API",
    "DESCRIPTION": "Licensing and tracking of controlled rare-earth exports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api_schema.add_error_responses",
    ],
    # One schema name per choice set: several models share these (a sector is a client's and an
    # end use's; a party role is a client's and an application's) or a field name ("status").
    "ENUM_NAME_OVERRIDES": {
        "SectorEnum": "apps.clients.models.Sector",
        "PartyRoleEnum": "apps.clients.models.PartyRole",
        "ApplicationStatusEnum": "apps.licensing.workflow.ApplicationStatus",
        "LicenceStatusEnum": "apps.licensing.workflow.LicenceStatus",
        "InformationRequestStatusEnum": "apps.licensing.models.InformationRequest.Status",
        "CountryEnum": "apps.core.countries.COUNTRY_CHOICES",
        "DocumentKindEnum": "apps.licensing.models.DocumentKind",
        "UploadDocumentKindEnum": "apps.licensing.serializers_producer.UPLOAD_DOCUMENT_KINDS",
    },
}

# Celery: the broker URL picks Redis in production and tests, a local folder when embedded.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60 if CELERY_TASK_TIME_LIMIT > 120 else None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the longest task, so Redis never redelivers a task that is still running.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60),
    # A hung Redis never blocks a request for long: connect and read give up after 2 s.
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Environment variable CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT, "
        "or Redis redelivers tasks that are still running."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = BASE_DIR / "var" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_broker_dir / "out"),
            "data_folder_out": str(_broker_dir / "out"),
            "processed_folder": str(_broker_dir / "processed"),
            "store_processed": False,
        }
    )
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up within about 2-3 s; the outbox keeps the message and retries later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_IGNORE_RESULT = True
# Tasks are idempotent (they take ids and check state), so a message is acknowledged only after
# the task ran, and redelivered when the worker process died under it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With acks_late, a task still running when the connection drops would run twice; cancel it.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Soft shutdown (Celery 5.5+): on a warm stop, running tasks get this long to finish before the
# cold shutdown hands their unacknowledged messages back to Redis for another worker.
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = float(env_int("CELERY_SOFT_SHUTDOWN_TIMEOUT", 30, minimum=0))
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Records (the audit trail and every audited record) are kept at least this long; nothing in
# the portal deletes them earlier. The law asks for 5 years: a smaller value is refused.
RECORDS_RETENTION_YEARS = env_int("RECORDS_RETENTION_YEARS", 5, minimum=5)
# Auditors' exports: files under MEDIA_ROOT/exports, downloadable by the requester for this long;
# exports up to EXPORT_INLINE_MAX_ROWS rows (CSV / JSON Lines) are written during the request.
EXPORT_ROOT = MEDIA_ROOT / "exports"
EXPORT_DOWNLOAD_HOURS = env_int("EXPORT_DOWNLOAD_HOURS", 24, minimum=1)
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 20000, minimum=0)
# The one beat schedule. apps.notifications.beat mirrors it into django-celery-beat's tables after
# migrate; chases are added with @chase (apps/<app>/chases.py), not here.
CELERY_BEAT_SCHEDULE = {
    "notifications.relay_outbox": {"task": "notifications.relay_outbox", "schedule": 30.0},
    "notifications.run_chases": {
        "task": "notifications.run_chases",
        "schedule": float(env_int("CHASE_INTERVAL_SECONDS", 300, minimum=10)),
    },
    "notifications.send_digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=env_int("DIGEST_HOUR", 7, minimum=0), minute=0),
    },
    "audit.verify_chain": {"task": "audit.verify_chain", "schedule": crontab(hour=2, minute=30)},
    # Hourly and idempotent: a licence past its validity is expired within the hour, even after
    # a missed run.
    "licensing.expire_licences": {
        "task": "licensing.expire_licences",
        "schedule": crontab(minute=5),
    },
}
CHASE_BATCH_SIZE = env_int("CHASE_BATCH_SIZE", 500, minimum=1)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200, minimum=1)
# Companies waiting for verification this many days are chased (administrators reminded).
PENDING_VERIFICATION_REMIND_DAYS = (2, 5)

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"Environment variable LOG_FORMAT={LOG_FORMAT!r}: use text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "apps.core.logging.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(user_id)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
