"""A company registers, an administrator verifies it, its administrator invites a colleague."""

import re

import pytest
from django.core import mail

from tests.factories import valid_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSPHRASE = "a-long-and-unusual-passphrase"


def test_register_verify_invite_and_join(
    page, login, administrator, screenshot, browser, live_server
):
    # given: a new company registers in the browser
    page.goto("/accounts/register/")
    page.get_by_label("Company legal name (Latin script)").fill("Yantai Browser Metals Co., Ltd.")
    page.get_by_label("Company name in Chinese").fill("烟台浏览器金属有限公司")
    page.get_by_label("Unified social credit code").fill(valid_uscc(777))
    page.get_by_label("Province").select_option("Shandong")
    page.get_by_label("Registered address").fill("9 Harbour Road, Yantai")
    page.get_by_label("Your full name").fill("Xu Tao")
    page.get_by_label("Your e-mail address").fill("xu.tao@yantai.test")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE)
    page.get_by_label("Repeat the password").fill(PASSPHRASE)
    screenshot("register-form")
    page.get_by_role("button", name="Register").click()

    # then: the producer sees only its pending status
    assert page.get_by_test_id("org-status").inner_text() == "Pending verification"
    assert page.get_by_role("link", name="Team").count() == 0
    screenshot("registration-status")
    page.locator("[data-testid=org-strip]").wait_for()
    page.get_by_role("button", name=re.compile("Xu Tao")).click()
    page.get_by_role("button", name="Sign out").click()

    # when: the administrator verifies the company
    login(administrator)
    page.get_by_role("link", name="Verify companies").click()
    page.get_by_role("link", name="Yantai Browser Metals Co., Ltd.").click()
    page.get_by_label("Action").select_option("verify")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_test_id("org-status").inner_text() == "Verified"
    screenshot("organisation-verified")
    page.context.clear_cookies()

    # and: the producer administrator invites a colleague
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("xu.tao@yantai.test")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Team").click()
    page.get_by_label("Colleague's e-mail address").fill("li.ming@yantai.test")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to li.ming@yantai.test").is_visible()
    screenshot("team")
    link = re.search(r"/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()

    # then: the colleague joins through the link and lands on the company home
    page.goto(link)
    page.get_by_label("Your full name").fill("Li Ming")
    page.get_by_label("Password", exact=True).fill(PASSPHRASE + "!")
    page.get_by_label("Repeat the password").fill(PASSPHRASE + "!")
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("heading", name="Welcome, Li").is_visible()
    assert "Yantai Browser Metals" in page.get_by_test_id("org-strip").inner_text()

    # and: the used link no longer works
    page.goto(link)
    assert "already been used" in page.get_by_test_id("invitation-problem").inner_text()


def test_registration_errors_are_shown_on_the_form(page, company):
    page.goto("/accounts/register/")
    page.get_by_label("Company legal name (Latin script)").fill("Another Co., Ltd.")
    page.get_by_label("Unified social credit code").fill("91330000MA0000001X")
    page.get_by_label("Province").select_option("Jiangxi")
    page.get_by_label("Registered address").fill("x")
    page.get_by_label("Your full name").fill("A B")
    page.get_by_label("Your e-mail address").fill("a@b.test")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    page.get_by_role("button", name="Register").click()

    assert page.get_by_text(
        "The check digit of this unified social credit code is wrong"
    ).is_visible()
    assert page.get_by_text("This password is too short").is_visible()
