"""Two-step verification for tests: give a user an authenticator and compute its codes."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret


def ensure_totp_device(user, key: str = TEST_TOTP_KEY) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", key=key, confirmed=True)
    return device


def totp_code_for(user) -> str:
    """A code the user's authenticator would show now and that has not been used yet.

    django-otp refuses a code from a time step it already accepted (replay), so a test that signs
    the same user in twice within 30 seconds gets the next step's code (accepted: tolerance 1).
    """
    device = ensure_totp_device(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = totp.t()
    if device.last_t >= step:
        totp.time += device.step * (device.last_t - step + 1)
    return f"{totp.token():06d}"
