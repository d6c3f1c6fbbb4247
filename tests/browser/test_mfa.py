"""Two-step sign-in in a real browser: set up with the typed key, then sign in with password and code.
Both pages, and their error states, must pass axe."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from mshtgov.mfa import enrolment
from tests.browser.conftest import assert_accessible, assert_marked, follow
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(key_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key as typed from the page (spaces and all)."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key), drift=steps_ahead):06d}"


def _password_step(page, username: str):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))


def test_set_up_then_sign_in_with_password_and_code(page, users, settings):
    settings.MFA_REQUIRED = True
    code, _ = enrolment.issue(users["coordinator"], by=users["admin"])
    _password_step(page, "coordinator")

    # First sign-in: the enrolment code an admin gave, then set up the authenticator.
    expect(page.get_by_role("heading", name="Enter your enrolment code", level=1)).to_be_visible()
    assert_marked(page)
    page.get_by_label("Enrolment code").fill("wrong-code-0000")
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator("#id_code-error")).to_contain_text("The enrolment code is not right")
    assert_accessible(page)
    page.get_by_label("Enrolment code").fill(code)
    follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", name="Set up two-step sign-in", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_marked(page)
    assert_accessible(page)
    key = page.locator("#totp-key").inner_text()
    page.get_by_label("6-digit code").fill("000000")
    follow(page.get_by_role("button", name="Finish setting up"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator("#id_code-error")).to_contain_text("The code is not right")
    assert_accessible(page)
    page.wait_for_timeout(1500)  # the one-second wait after a wrong code
    page.get_by_label("6-digit code").fill(_code(key))
    follow(page.get_by_role("button", name="Finish setting up"))
    expect(page.get_by_role("heading", name="Two-step sign-in is set up", level=1)).to_be_visible()
    expect(page.locator("ol code")).to_have_count(10)
    assert_accessible(page)
    follow(page.get_by_role("link", name=re.compile("I have saved my recovery codes")))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    # Sign out, then sign in with password and code.
    follow(page.get_by_role("button", name="Sign out"))
    _password_step(page, "coordinator")
    expect(
        page.get_by_role("heading", name="Enter the 6-digit code from your authenticator app", level=1)
    ).to_be_visible()
    expect(page.get_by_label("6-digit code")).to_have_attribute("autocomplete", "one-time-code")
    assert_marked(page)
    assert_accessible(page)
    follow(page.get_by_role("button", name="Continue"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code from your authenticator app")
    assert_accessible(page)
    # The set-up code used this time step; the app's next one is accepted (one step of clock drift).
    page.get_by_label("6-digit code").fill(_code(key, steps_ahead=1))
    follow(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert not page.js_errors
