"""MFA recovery codes: kept only as salted hashes, shown once, each usable once."""

import importlib
import threading

import pytest
from django.apps import apps as installed_apps
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from apps.accounts import mfa
from apps.accounts.models import RecoveryCode
from apps.audit.models import AuditEvent
from tests.otp import ensure_totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(reviewer):
    ensure_totp_device(reviewer)
    return reviewer


def test_a_stored_recovery_code_is_not_the_code(enrolled):
    codes = mfa.recovery_codes_regenerate(actor=enrolled)

    stored = list(RecoveryCode.objects.filter(device__user=enrolled))
    assert len(stored) == len(codes) == 10
    for row in stored:
        assert row.code_hash.startswith("sha256$")
        assert not any(RecoveryCode.normalise(code) in row.code_hash for code in codes)
    assert not StaticToken.objects.filter(device__user=enrolled).exists()


def test_equal_codes_get_different_hashes():
    assert RecoveryCode.hash_code("abcd-efgh") != RecoveryCode.hash_code("abcd-efgh")


def test_new_codes_carry_80_random_bits(enrolled):
    codes = mfa.recovery_codes_regenerate(actor=enrolled)

    assert all(len(RecoveryCode.normalise(code)) == 16 for code in codes)  # 16 base32 = 80 bits
    assert len(set(codes)) == len(codes)


def test_a_recovery_code_works_once(enrolled):
    code = mfa.recovery_codes_regenerate(actor=enrolled)[3]

    first = mfa.mfa_verify(actor=enrolled, token=code)
    second = mfa.mfa_verify(actor=enrolled, token=code)

    assert isinstance(first, StaticDevice)
    assert second is None
    assert mfa.recovery_codes_left(enrolled) == 9


def test_a_recovery_code_is_accepted_without_dashes_and_in_capitals(enrolled):
    code = mfa.recovery_codes_regenerate(actor=enrolled)[0]

    assert mfa.mfa_verify(actor=enrolled, token=code.replace("-", " ").upper()) is not None


def test_a_wrong_recovery_code_is_refused_and_spends_nothing(enrolled):
    mfa.recovery_codes_regenerate(actor=enrolled)

    assert mfa.mfa_verify(actor=enrolled, token="aaaa-bbbb-cccc-dddd") is None
    assert mfa.recovery_codes_left(enrolled) == 10
    assert AuditEvent.objects.filter(action="mfa.verify_failed", actor=enrolled).exists()


def test_another_users_recovery_code_is_refused(enrolled, approver):
    ensure_totp_device(approver)
    theirs = mfa.recovery_codes_regenerate(actor=approver)[0]
    mfa.recovery_codes_regenerate(actor=enrolled)

    assert mfa.mfa_verify(actor=enrolled, token=theirs) is None
    assert mfa.recovery_codes_left(approver) == 10


def test_regenerating_makes_the_old_codes_useless(enrolled):
    old = mfa.recovery_codes_regenerate(actor=enrolled)[0]
    mfa.recovery_codes_regenerate(actor=enrolled)

    assert mfa.mfa_verify(actor=enrolled, token=old) is None
    assert mfa.recovery_codes_left(enrolled) == 10


def test_wrong_recovery_codes_are_throttled(enrolled, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 60  # a minute's wait, so a slow machine cannot outlast it
    code = mfa.recovery_codes_regenerate(actor=enrolled)[0]
    mfa.mfa_verify(actor=enrolled, token="aaaa-bbbb-cccc-dddd")

    # then: straight after a failure even the right code waits for the throttle delay
    assert mfa.mfa_verify(actor=enrolled, token=code) is None
    assert mfa.recovery_codes_left(enrolled) == 10


def test_the_migration_hashes_the_clear_codes_kept_before(enrolled):
    # given: recovery codes as django-otp kept them, in clear
    device = StaticDevice.objects.create(
        user=enrolled, name=mfa.RECOVERY_DEVICE_NAME, confirmed=True
    )
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=t) for t in ("legacy01", "legacy02")]
    )
    migration = importlib.import_module("apps.accounts.migrations.0003_hash_clear_recovery_codes")

    # when
    migration.hash_clear_codes(installed_apps, schema_editor=None)

    # then: no clear code is left, and each old code still signs in exactly once
    assert not StaticToken.objects.exists()
    hashes = list(RecoveryCode.objects.filter(device=device).values_list("code_hash", flat=True))
    assert len(hashes) == 2
    assert not any("legacy0" in h for h in hashes)
    assert mfa.mfa_verify(actor=enrolled, token="LEGACY02") is not None
    assert mfa.mfa_verify(actor=enrolled, token="legacy02") is None
    assert mfa.recovery_codes_left(enrolled) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sign_ins_racing_with_one_code_let_exactly_one_in(reviewer):
    ensure_totp_device(reviewer)
    code = mfa.recovery_codes_regenerate(actor=reviewer)[0]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def sign_in(i):
        try:
            barrier.wait()
            results[i] = mfa.mfa_verify(actor=reviewer, token=code) is not None
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert mfa.recovery_codes_left(reviewer) == 9
