"""Browser: an official enrols an authenticator and signs in with it; pages run under the CSP."""

import pytest

from apps.accounts import mfa
from tests.otp import totp_code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def collect_csp_violations(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return problems


def sign_in_with_password(page, user, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_official_enrols_then_signs_in_with_a_code(page, reviewer, password, screenshot):
    violations = collect_csp_violations(page)
    sign_in_with_password(page, reviewer, password)

    # given: a reviewer without an authenticator is sent to enrolment, whatever they open
    assert "/accounts/security/mfa/setup/" in page.url
    assert page.get_by_test_id("mfa-qr").is_visible()
    screenshot("mfa-enrol")
    secret = page.get_by_test_id("mfa-secret").inner_text().replace(" ", "")
    key_hex = _hex_from_b32(secret)

    # when: they type the code their app shows
    page.get_by_label("Code shown by the app").fill(mfa.totp_code(key_hex))
    page.get_by_role("button", name="Turn on").click()

    # then: recovery codes are shown once, and the portal opens
    codes = page.get_by_test_id("recovery-codes").inner_text().split()
    assert len(codes) == 10
    screenshot("mfa-recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    assert page.get_by_role("heading", name=f"Welcome, {reviewer.get_short_name()}").is_visible()

    # and the next sign-in asks for the code
    page.get_by_role("button", name=reviewer.full_name).click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, reviewer, password)
    assert "/accounts/security/mfa/verify/" in page.url
    page.get_by_label("Verification code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_text("That code is not right").is_visible()
    screenshot("mfa-verify-wrong-code")
    page.wait_for_timeout(2500)  # django-otp pauses the device after a wrong code
    page.get_by_label("Verification code").fill(totp_code_for(reviewer))
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_role("heading", name=f"Welcome, {reviewer.get_short_name()}").is_visible()
    assert violations == []


def test_official_signs_in_with_a_recovery_code(page, approver, password):
    from tests.otp import ensure_totp_device

    ensure_totp_device(approver)
    code = mfa.recovery_codes_regenerate(actor=approver)[0]
    sign_in_with_password(page, approver, password)
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()
    assert page.get_by_text("You used a recovery code; 9 left").is_visible()


def test_producer_turns_mfa_on_from_the_security_page(page, login, producer_admin, screenshot):
    violations = collect_csp_violations(page)
    login(producer_admin)
    page.get_by_role("button", name=producer_admin.full_name).click()
    page.get_by_role("link", name="Sign-in security").click()
    assert "Off" in page.get_by_test_id("mfa-status").inner_text()
    screenshot("security-page-producer")
    page.get_by_role("link", name="Set up two-step verification").click()
    key_hex = _hex_from_b32(page.get_by_test_id("mfa-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code shown by the app").fill(mfa.totp_code(key_hex))
    page.get_by_role("button", name="Turn on").click()
    page.get_by_role("link", name="I have saved them").click()
    assert "On" in page.get_by_test_id("mfa-status").inner_text()
    screenshot("security-page-producer-on")
    assert violations == []


def test_creating_a_token_after_a_while_asks_for_the_password(
    page, login, producer_admin, password, settings
):
    login(producer_admin)
    settings.RECENT_AUTH_MAX_AGE = 0
    page.goto("/accounts/api-tokens/")
    page.get_by_label("Name").fill("ERP")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_role("heading", name="Confirm your identity").is_visible()
    page.get_by_label("Password").fill(password)
    settings.RECENT_AUTH_MAX_AGE = 600
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name").fill("ERP")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_test_id("new-token").is_visible()


def test_swagger_ui_and_admin_work_under_the_csp(page, login, administrator, screenshot):
    violations = collect_csp_violations(page)
    login(administrator)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    assert page.get_by_text("RareTrack API").first.is_visible()
    screenshot("api-docs")
    page.goto("/admin/")
    assert page.get_by_text("RareTrack administration").first.is_visible()
    screenshot("admin-index")
    assert violations == []


def _hex_from_b32(secret: str) -> str:
    from base64 import b32decode

    return b32decode(secret).hex()
