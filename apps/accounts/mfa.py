"""Multi-factor authentication: who must use it, enrolment, recovery codes, verification.

TOTP devices and the recovery-code device are django-otp's models (`TOTPDevice`, `StaticDevice`); a
session is "verified" once django-otp's `login(request, device)` has stored the device in it. The
recovery codes themselves are our `RecoveryCode` rows, which keep only a salted hash (django-otp's
`StaticToken` would keep them in clear and stays empty). The gate that sends unverified users to
enrol or verify is `apps.accounts.middleware.MFARequiredMiddleware`.

Officials (reviewers, approvers, auditors, administrators) and anyone with Django admin rights must
use MFA; producers may opt in, and once they have a device their sessions need it too.
"""

import secrets
from base64 import b32encode
from binascii import hexlify
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import RecoveryCode
from apps.audit.services import audit_record
from apps.core.errors import DomainError, PermissionDeniedError
from apps.core.roles import is_authority

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def mfa_required(user) -> bool:
    """Officials and admin users may not work without a second factor."""
    return bool(
        user.is_authenticated and (is_authority(user) or user.is_staff or user.is_superuser)
    )


def mfa_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_needs_mfa(user) -> bool:
    """A session of this user must be OTP-verified (required role, or a producer who opted in)."""
    cached = getattr(user, "_rt_needs_mfa", None)
    if cached is None:
        cached = mfa_required(user) or mfa_enrolled(user)
        user._rt_needs_mfa = cached
    return cached


def session_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def mfa_session_ok(user) -> bool:
    """The session may do what needs MFA: it is verified, or this user needs no second factor."""
    return session_verified(user) or not session_needs_mfa(user)


def new_totp_key() -> str:
    """A 160-bit secret, hex-encoded as django-otp stores it."""
    return hexlify(secrets.token_bytes(20)).decode()


def totp_config_url(user, key_hex: str) -> str:
    return TOTPDevice(user=user, key=key_hex).config_url


def totp_qr_data_uri(config_url: str) -> str:
    """The enrolment QR code as an inline SVG data URI: the secret never leaves this server."""
    import base64

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_code(key_hex: str, *, at: float | None = None) -> str:
    """The current 6-digit code for a hex key (demo command and tests)."""
    import time
    from binascii import unhexlify

    totp = TOTP(unhexlify(key_hex.encode()))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def new_recovery_code() -> str:
    """80 random bits as 16 base32 characters, shown in groups of four: xxxx-xxxx-xxxx-xxxx."""
    raw = b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _recovery_codes_replace(user) -> list[str]:
    """Replace the user's recovery codes; the clear codes are returned to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.recovery_codes.all().delete()
    codes = [new_recovery_code() for _ in range(settings.MFA_RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, code_hash=RecoveryCode.hash_code(c)) for c in codes]
    )
    return codes


def _recovery_code_use(device: StaticDevice, token: str) -> bool:
    """Spend one of the device's recovery codes if `token` is one of them.

    Mirrors django-otp's `StaticDevice.verify_token` (throttling, last-used time) but compares
    hashes. The caller holds the device's row lock, so two sign-ins cannot spend the same code.
    """
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return False
    match = next((code for code in device.recovery_codes.all() if code.matches(token)), None)
    if match is None:
        device.throttle_increment()
        return False
    match.delete()
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return True


@transaction.atomic
def totp_device_enrol(*, actor, key_hex: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator with a code it shows; replaces any earlier one.

    Returns the device and a fresh set of recovery codes, which are shown once.
    """
    candidate = TOTPDevice(user=actor, key=key_hex, name=TOTP_DEVICE_NAME, confirmed=True)
    if not candidate.verify_token(_clean(token)):
        raise DomainError(
            _("That code is not right. Check the time on your phone and enter the current code."),
            field_errors={"token": [_("Wrong or expired code.")]},
        )
    replaced = TOTPDevice.objects.filter(user=actor).delete()[0]
    candidate.save()
    codes = _recovery_codes_replace(actor)
    audit_record(
        actor=actor,
        action="mfa.enrol",
        obj=actor,
        changes={"device": "totp", "replaced_devices": replaced, "recovery_codes": len(codes)},
    )
    return candidate, codes


@transaction.atomic
def recovery_codes_regenerate(*, actor) -> list[str]:
    if not mfa_enrolled(actor):
        raise DomainError(_("Set up an authenticator app first."))
    codes = _recovery_codes_replace(actor)
    audit_record(actor=actor, action="mfa.recovery_codes_regenerate", obj=actor)
    return codes


@transaction.atomic
def mfa_disable(*, actor) -> None:
    """A producer turns MFA off; officials cannot (their role requires it)."""
    if mfa_required(actor):
        raise PermissionDeniedError(_("Your role requires two-step verification."))
    deleted = TOTPDevice.objects.filter(user=actor).delete()[0]
    StaticDevice.objects.filter(user=actor).delete()
    if deleted:
        audit_record(actor=actor, action="mfa.disable", obj=actor)


@transaction.atomic
def mfa_verify(*, actor, token: str):
    """The device that accepts `token` (authenticator code or unused recovery code), or None.

    django-otp throttles each device after failures (doubling delays), and a recovery code works
    once. Success and failure are both audited.
    """
    token = _clean(token)
    device = None
    if token.isdigit() and len(token) == 6:
        for candidate in TOTPDevice.objects.filter(user=actor, confirmed=True):
            if candidate.verify_token(token):
                device = candidate
                break
    elif token:
        recovery_devices = StaticDevice.objects.select_for_update().filter(
            user=actor, confirmed=True
        )
        for candidate in recovery_devices.order_by("pk"):
            if _recovery_code_use(candidate, token):
                device = candidate
                break
    if device is None:
        audit_record(actor=actor, action="mfa.verify_failed", obj=actor)
        return None
    kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    audit_record(actor=actor, action="mfa.verify", obj=actor, changes={"device": kind})
    return device


def seconds_until_retry(user) -> int:
    """How long django-otp's throttling still refuses codes for this user's authenticator."""
    from django.utils import timezone

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return 0
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def _clean(token: str) -> str:
    return "".join((token or "").split()).replace("-", "")
