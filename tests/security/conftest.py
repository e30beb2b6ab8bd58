"""Security tests reuse the browser fixtures (page, login, screenshot) for their browser tests."""

from tests.browser.conftest import browser, login, page, screenshot  # noqa: F401
