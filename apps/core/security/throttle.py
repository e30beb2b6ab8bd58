"""Sign-in throttling that an attacker cannot turn into a lockout of everyone.

Two counters, kept in the shared cache:

- per (account, client address): after LOGIN_FAILURES_BEFORE_BACKOFF failures the pair is paused
  for LOGIN_BACKOFF_BASE seconds, doubling with every further failure up to LOGIN_BACKOFF_MAX.
  Someone guessing a colleague's password from their own machine locks only themselves out of that
  account; the real user, from their own address, still signs in. A success clears the pair.
- per client address: LOGIN_IP_FAILURE_LIMIT failures across all accounts within LOGIN_IP_WINDOW
  blocks the address (password spraying). A success does not clear it, so one valid account
  cannot be used to reset the budget.

`LoginThrottleBackend` sits first in AUTHENTICATION_BACKENDS so every password check (login form,
re-authentication, the admin) is refused while paused, before any password is compared. Failures
are counted from Django's `user_login_failed` signal; the start of every pause is audited.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext as _

from apps.core.security.client import client_ip

_PREFIX = "rt:login"
_COUNTER_TTL = 24 * 60 * 60


@dataclass(frozen=True)
class Pause:
    scope: str  # "account" (this account from this address) or "address"
    retry_after: int  # seconds


def pause_message(pause: Pause) -> str:
    minutes = max(1, (pause.retry_after + 59) // 60)
    return _(
        "Too many failed sign-in attempts. Wait %(minutes)s minute(s) and try again, or reset "
        "your password."
    ) % {"minutes": minutes}


def _account_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _keys(username: str, ip: str) -> dict[str, str]:
    pair = f"{_account_key(username)}:{ip}"
    return {
        "pair_failures": f"{_PREFIX}:pair:n:{pair}",
        "pair_until": f"{_PREFIX}:pair:until:{pair}",
        "ip_failures": f"{_PREFIX}:ip:n:{ip}",
        "ip_until": f"{_PREFIX}:ip:until:{ip}",
    }


def current_pause(username: str, ip: str | None) -> Pause | None:
    """The pause in force for this account from this address, if any."""
    ip = ip or "unknown"
    keys = _keys(username or "", ip)
    now = time.time()
    until = cache.get_many([keys["ip_until"], keys["pair_until"]])
    ip_until = until.get(keys["ip_until"], 0)
    if ip_until > now:
        return Pause("address", int(ip_until - now) + 1)
    pair_until = until.get(keys["pair_until"], 0)
    if pair_until > now:
        return Pause("account", int(pair_until - now) + 1)
    return None


def _incr(key: str, ttl: int) -> int:
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ttl)
        return 1


def backoff_seconds(failures: int) -> int:
    over = failures - settings.LOGIN_FAILURES_BEFORE_BACKOFF
    if over < 0:
        return 0
    return min(settings.LOGIN_BACKOFF_BASE * 2 ** min(over, 30), settings.LOGIN_BACKOFF_MAX)


def record_failure(username: str, ip: str | None) -> Pause | None:
    """Count one failed password; returns the pause that this failure started, if any."""
    ip = ip or "unknown"
    keys = _keys(username or "", ip)
    now = time.time()
    started = None
    pair_failures = _incr(keys["pair_failures"], _COUNTER_TTL)
    pause = backoff_seconds(pair_failures)
    if pause:
        cache.set(keys["pair_until"], now + pause, pause)
        started = Pause("account", pause)
    ip_failures = _incr(keys["ip_failures"], settings.LOGIN_IP_WINDOW)
    if ip_failures >= settings.LOGIN_IP_FAILURE_LIMIT:
        window = settings.LOGIN_IP_WINDOW
        if cache.add(keys["ip_until"], now + window, window):
            started = Pause("address", window)
    return started


def record_success(username: str, ip: str | None) -> None:
    keys = _keys(username or "", ip or "unknown")
    cache.delete_many([keys["pair_failures"], keys["pair_until"]])


class LoginThrottleBackend:
    """Refuses any password check while the (account, address) or the address is paused.

    It has no `get_user`, so it never becomes the backend a session is bound to.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        pause = current_pause(username, client_ip(request))
        if pause is not None:
            request.login_pause = pause
            raise PermissionDenied  # stops authenticate(); no later backend sees the password
        return None


@receiver(user_login_failed, dispatch_uid="security.count_login_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "login_pause", None) is not None:
        return  # attempts while paused are refused unchecked and do not lengthen the pause
    username = str(credentials.get("username", ""))
    started = record_failure(username, client_ip(request))
    if started is not None:
        from apps.audit.services import audit_record

        audit_record(
            actor=None,
            action="auth.lockout",
            changes={
                "username": username[:200],
                "scope": started.scope,
                "seconds": started.retry_after,
            },
            actor_label="anonymous",
        )


@receiver(user_logged_in, dispatch_uid="security.clear_login_failures")
def _clear_failures(sender, request, user, **kwargs):
    if request is not None:
        record_success(user.get_username(), client_ip(request))
