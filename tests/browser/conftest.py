"""Playwright driving Debian's Chromium against the live test server, with an axe scan helper.

Chromium comes from `apt-get install chromium` (Playwright cannot download browsers here). Without
it these tests skip, saying so; CI sets REQUIRE_BROWSER_TESTS so a skip fails the run.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    page.app_url = live_server.url
    yield page
    context.close()


def sign_in(page, user):
    """Put a signed-in session for `user` into the browser, without going through the login form."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": page.app_url}])


def follow(locator):
    """Click something that loads a new page and wait until it has loaded.

    A bare click returns once the click is dispatched; reading the page straight after it (title, text,
    an axe scan) can catch the old page or one mid-navigation, which made CI flaky.
    """
    with locator.page.expect_navigation():
        locator.click()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as users see it (no CSP bypass) against WCAG 2.0-2.2 A and AA."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.response["violations"]


def assert_accessible(page):
    violations = axe_violations(page)
    summary = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert not violations, f"axe found {len(violations)} WCAG A/AA violations on {page.url}:\n" + "\n".join(summary)


def assert_marked(page, marking: str = "OFFICIAL"):
    """The marking is real text at the top and bottom of the page."""
    banners = page.locator(".app-marking__text")
    assert banners.count() == 2
    for i in (0, 1):
        assert marking in banners.nth(i).inner_text()


def fill_date(page, field, day):
    """Type `day` (a date or "YYYY-MM-DD") into a GOV.UK date input's three boxes, as a person would:
    day and month without leading zeros. `field` is the field's name ("due_date") or id ("id_due_date")."""
    from datetime import date

    if isinstance(day, str):
        day = date.fromisoformat(day)
    base = field if field.startswith("id_") else f"id_{field}"
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#{base}-{part}").fill(str(value))
