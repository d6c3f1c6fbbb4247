"""The foundation's pages in a real browser: accessible, marked, and usable without a mouse."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_marked, follow, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_accessible_and_signs_in(page, users):
    page.goto("/accounts/login/")
    assert_marked(page)
    assert_accessible(page)
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert not page.js_errors


def test_login_error_summary_is_accessible_and_focused(page, users):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill("wrong password entirely")
    follow(page.get_by_role("button", name="Sign in"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()
    # The username typed is kept.
    expect(page.get_by_label("Username")).to_have_value("analyst")
    assert_accessible(page)


def test_home_page_is_accessible_for_each_role(page, users):
    for role in ("leader", "partner", "analyst"):
        sign_in(page, users[role])
        page.goto("/")
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        assert_marked(page)
        assert_accessible(page)
        page.context.clear_cookies()


def test_skip_link_is_first_and_moves_focus(page, users):
    sign_in(page, users["leader"])
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_403_and_404_pages_are_accessible(page, users):
    sign_in(page, users["analyst"])
    response = page.goto("/audit/access-log/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    assert_accessible(page)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_password_change_form_errors_are_accessible(page, users):
    sign_in(page, users["pcc"])
    page.goto("/accounts/password/")
    follow(page.get_by_role("button", name="Change password"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)


def test_session_warning_dialog_offers_to_stay_signed_in(page, users, settings):
    sign_in(page, users["secretary"])
    page.clock.install()
    page.goto("/")
    page.clock.run_for(28 * 60 * 1000)
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible()
    assert_accessible(page)
    stay = page.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    stay.click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_pages_reflow_at_320_pixels_without_sideways_scrolling(page, users):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    sign_in(page, users["leader"])
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
