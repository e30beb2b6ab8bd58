"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Playwright's own browser download cannot work on these machines, so we launch /usr/bin/chromium.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from apps.accounts.mfa import mfa_required
from tests.otp import ensure_totp_device, totp_code_for

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is missing: install it with `apt-get install chromium` (make test does)."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, password):
    """Sign in through the real login form; officials also enter their authenticator code."""

    def do(user):
        needs_code = mfa_required(user)
        if needs_code:
            ensure_totp_device(user)
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if needs_code:
            page.get_by_label("Verification code").fill(totp_code_for(user))
            page.get_by_role("button", name="Verify").click()
            page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG under var/screenshots/ to look at a page as its user does."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return take


@pytest.fixture
def nav(page):
    """Follow a link of the navigation bar, opening its dropdown group first when it sits in one
    (officials' entries are grouped by area; producers' are plain links)."""

    def go(label: str):
        bar = page.locator("#mainnav")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible() and not bar.is_visible():
            toggler.click()
        # entries of a closed dropdown are hidden (and out of the accessibility tree): match text
        exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
        link = bar.locator("a.nav-link, a.dropdown-item").filter(has_text=exact).first
        if not link.is_visible():
            inner = page.locator("a.dropdown-item").filter(has_text=exact)
            bar.locator(".nav-item.dropdown", has=inner).locator(".dropdown-toggle").click()
        link.click()
        page.wait_for_load_state()
        return page

    return go
