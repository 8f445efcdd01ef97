"""Browser fixtures shared by every browser test: Playwright (sync API) driving Debian's Chromium.

- `browser`: one headless Chromium for the session.
- `page`: a fresh context (cookies, storage) per test, desktop size, Chinese locale, China time.
- `phone_page`: the same at phone width (390 px).
- `portal_login(page, username, password)`: signs in through the portal's login form.
- `artifacts`: the folder for screenshots (`test-artifacts/`, ignored by git).

Use them with pytest-django's `live_server` (and `transactional_db`) and mark tests
`@pytest.mark.browser`.
"""
import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; Django would then refuse
# ORM calls from the test itself (fixtures, assertions). The calls really are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_page(browser, viewport, **extra):
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True, **extra
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def portal_login(live_server):
    """Sign in through the real login form; lands on the dashboard."""

    def login(page, username, password):
        page.goto(f"{live_server.url}/portal/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main form").get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/portal/")
        return page

    return login
