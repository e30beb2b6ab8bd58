from pathlib import Path

from django.conf import settings
from kombu import Connection


def broker_status() -> str:
    """'ok' when the task broker accepts a connection within a few seconds, else the error."""
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith("filesystem://"):
            folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
            return "ok" if folder.is_dir() else f"error: broker folder {folder} missing"
        with Connection(
            url, connect_timeout=3, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
