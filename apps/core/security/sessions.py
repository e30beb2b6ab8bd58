"""Session lifetimes and recent authentication.

- idle timeout: SESSION_IDLE_TIMEOUT seconds without a request ends the session;
- absolute timeout: SESSION_ABSOLUTE_TIMEOUT seconds after sign-in, whatever the activity;
- recent authentication: sensitive actions need the password typed within RECENT_AUTH_MAX_AGE
  (see apps.core.access.recent_auth_required);
- `sessions_end_for(user)` deletes every session of a user (deactivation).

The timestamps live in the session itself, so nothing extra is stored per request: the last-seen
time is written at most once a minute.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT = "rt_login_at"
SEEN_AT = "rt_seen_at"
AUTH_AT = "rt_auth_at"
_SEEN_WRITE_INTERVAL = 60


@receiver(user_logged_in, dispatch_uid="security.session_stamps")
def _stamp_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[AUTH_AT] = now


def mark_reauthenticated(request) -> None:
    request.session[AUTH_AT] = time.time()


def seconds_since_auth(request) -> float:
    stamp = request.session.get(AUTH_AT)
    return float("inf") if stamp is None else time.time() - stamp


def expiry_reason(session, now: float) -> str | None:
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        return "absolute"
    if seen_at is None or now - seen_at > settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Signs out a session that was idle too long or is older than the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            reason = expiry_reason(request.session, now)
            if reason:
                from apps.audit.services import audit_record

                audit_record(
                    actor=user, action="auth.session_expired", obj=user, changes={"reason": reason}
                )
                logout(request)
                messages.info(
                    request, _("Your session ended after a period of inactivity. Sign in again.")
                )
            elif now - request.session.get(SEEN_AT, 0) > _SEEN_WRITE_INTERVAL:
                request.session[SEEN_AT] = now
        return self.get_response(request)


def sessions_end_for(user) -> int:
    """Delete every stored session of `user` (database sessions); returns how many ended."""
    user_id = str(user.pk)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    return ended
