"""Partnerships in a real browser: a coordinator approves and compares a version; a partner sees only theirs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.services.partnerships import membership_remove
from tests.browser.conftest import assert_accessible, assert_marked, fill_date, follow, sign_in
from tests.partnerships.factories import two_partnerships

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_approves_a_new_version_and_compares_it_with_the_last(page, users):
    w = two_partnerships(users)
    sign_in(page, users["coordinator"])
    page.goto(f"/partnerships/{w.p1.pk}/")
    assert_marked(page)
    assert_accessible(page)
    # P1 already has a draft (version 2): the page offers to carry on with it, not to start a second one.
    expect(page.get_by_role("button", name="Start a new version")).to_have_count(0)
    follow(page.get_by_role("link", name="change draft version 2"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change draft version 2")
    assert_accessible(page)
    page.get_by_label("Purpose").fill("Protect victims first, then pursue offenders.")
    page.get_by_label("Reason for the change").fill("Annual review")
    follow(page.get_by_role("button", name="Save draft"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terms of reference version 2")
    follow(page.get_by_role("link", name="Approve this version"))
    assert_accessible(page)
    fill_date(page, "review_date", timezone.localdate() + timedelta(days=365))
    follow(page.get_by_role("button", name="Approve version"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Version 2 approved")
    follow(page.get_by_role("link", name="Compare with version 1"))
    expect(page.locator("#compare-texts")).to_contain_text("Protect victims first")
    expect(page.locator("#compare-texts")).to_contain_text("Changed")
    assert_marked(page)
    assert_accessible(page)
    assert not page.js_errors


def test_partner_sees_their_forum_only_and_is_locked_out_when_removed(page, users):
    w = two_partnerships(users)
    sign_in(page, users["partner"])
    page.goto("/partnerships/")
    expect(page.locator("#result-count")).to_have_text("1 partnership")
    expect(page.get_by_role("link", name="Alpha Forum P1")).to_be_visible()
    assert "P2SECRET" not in page.content()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Alpha Forum P1"))
    expect(page.locator("#agreements")).to_contain_text("Alpha sharing ISA")
    assert "council-only" not in page.content()
    assert_accessible(page)
    response = page.goto(f"/partnerships/{w.p2.pk}/")
    assert response.status == 404
    membership = w.p1.memberships.get(organisation=w.partner_org)
    membership_remove(membership=membership, by=users["coordinator"], reason="Left")
    response = page.goto(f"/partnerships/{w.p1.pk}/")
    assert response.status == 404
    page.goto("/partnerships/")
    expect(page.locator("#result-count")).to_have_text("0 partnerships")
