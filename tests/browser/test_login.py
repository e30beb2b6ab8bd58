import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_producer_signs_in_and_sees_company_home(page, login, producer_admin, screenshot):
    login(producer_admin)
    assert page.get_by_role(
        "heading", name=f"Welcome, {producer_admin.get_short_name()}"
    ).is_visible()
    strip = page.get_by_test_id("org-strip")
    assert producer_admin.membership.organisation.legal_name in strip.inner_text()
    assert page.get_by_role("link", name="Team").is_visible()
    screenshot("producer-home")


def test_wrong_password_is_refused_with_a_message(page, producer_admin):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(producer_admin.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Please enter a correct e-mail address and password").is_visible()


def test_language_switch_shows_the_portal_in_chinese(page, login, producer_admin, screenshot):
    login(producer_admin)
    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="团队").is_visible()
    screenshot("producer-home-zh")
