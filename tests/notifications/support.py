"""Helpers that also run inside the real Celery worker started by the tests."""

import json
import os
import signal
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileRecordingBackend(BaseEmailBackend):
    """Appends one JSON line per e-mail to $RECORD_EMAIL_FILE, so the test process sees what a
    worker sent. If $KILL_ONCE_MARKER exists, the first send removes it and SIGKILLs its own
    process mid-send (the e-mail is not recorded): a worker child dying in the middle of a task."""

    def send_messages(self, email_messages):
        marker = os.environ.get("KILL_ONCE_MARKER")
        if marker and Path(marker).exists():
            Path(marker).unlink()
            os.kill(os.getpid(), signal.SIGKILL)
        target = Path(os.environ["RECORD_EMAIL_FILE"])
        with target.open("a", encoding="utf-8") as fh:
            for message in email_messages:
                fh.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
        return len(email_messages)
